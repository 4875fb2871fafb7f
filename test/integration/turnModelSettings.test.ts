import path from 'node:path';
import type { ActivityDeps } from '../../activities/deps';
import { availableModels, modelForRoute } from '../../activities/resolveModelClient';
import { createPlanningStepActivities } from '../../activities/turn/planningSteps';
import { createUserInputActivities } from '../../activities/turn/recordUserInput';
import { createFailureReportActivities } from '../../activities/turn/reportFailure';
import { loadEnv } from '../../domain/server/env';
import { loadComponents } from '../../registry/registry';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { getMessage } from '../../store/messageStore';
import { updateModelSettings } from '../../store/settingsStore';
import { useTestDatabase } from '../support/testDatabase';

/** A turn runs with the model settings revision it took at its start; a change applies from the next turn. */
const store = useTestDatabase('turn_model_settings');
const env = loadEnv({});
afterAll(async () => {
  await sandboxPool.close();
});

const configure = (model: string) =>
  updateModelSettings(store.db, env, () => ({ base_url: 'http://model.example/v1', model, api_key: null }));
const modelsOf = (turn: { models: { label: { model: string } }[] }) => turn.models.map((m) => m.label.model);

test('with nothing stored a turn takes the environment (revision 0), whose models need no read', async () => {
  const turn = await availableModels(store.db, env);
  expect(turn.settingsRev).toBe(0);
  expect(turn.models.map((m) => m.label.offline)).toEqual([true]);
});

test("a turn's later steps keep the revision it took; the newest applies from the next turn", async () => {
  await configure('first');
  const turn = await availableModels(store.db, env);
  expect(modelsOf(turn)[0]).toBe('first');
  await configure('second');
  expect(modelsOf(await availableModels(store.db, env, { settingsRev: turn.settingsRev }))[0]).toBe('first');
  expect((await modelForRoute(store.db, env, ['nothing routed'], { settingsRev: turn.settingsRev })).label.model).toBe('first');
  // Another process (a Db of its own, so none of this one's kept revisions) reads the revision by _id.
  const elsewhere = store.client.db(store.db.databaseName);
  expect(modelsOf(await availableModels(elsewhere, env, { settingsRev: turn.settingsRev }))[0]).toBe('first');
  const next = await availableModels(store.db, env);
  expect(next.settingsRev).toBe(turn.settingsRev + 1);
  expect(modelsOf(next)[0]).toBe('second');
});

test('a revision that does not exist gives the newest settings', async () => {
  const newest = await availableModels(store.db, env);
  const missing = await availableModels(store.db, env, { settingsRev: newest.settingsRev + 100 });
  expect(missing.settingsRev).toBe(newest.settingsRev);
  expect(modelsOf(missing)).toEqual(modelsOf(newest));
});

describe("a turn that fails or stops names a model of the turn's revision, not of settings changed after it began", () => {
  /** A turn's steps up to its model selection, as the worker runs them (the selector component in the sandbox). */
  async function turnWithModelsSelected(turnId: string) {
    const components = new Map((await loadComponents(path.resolve(__dirname, '../../components'))).map((c) => [c.name, c]));
    const deps: ActivityDeps = { db: store.db, env, components, corpus: [] };
    const ctx = { sessionId: `s-${turnId}`, turnId, workflowId: `w-${turnId}` };
    const userNodeId = await createUserInputActivities(deps).recordUserInput({
      ...ctx,
      userMessageId: `${turnId}:user`,
      content: 'hi',
    });
    const selected = await createPlanningStepActivities(deps).selectModel(ctx, userNodeId);
    return { ctx, selected, report: createFailureReportActivities(deps) };
  }
  const labelOf = async (turnId: string) => (await getMessage(store.db, `${turnId}:assistant`))?.model?.model;

  test('a failure', async () => {
    await configure('taken at the start');
    const { ctx, selected, report } = await turnWithModelsSelected('t-failed');
    await configure('changed mid-turn');
    await report.reportFailure(ctx, selected.nodeId, 'the analyser failed');
    expect(await labelOf('t-failed')).toBe('taken at the start');
  });

  test('a stop before the answer began', async () => {
    await configure('taken at the start');
    const { ctx, report } = await turnWithModelsSelected('t-stopped');
    await configure('changed mid-turn');
    await report.reportStoppedEarly(ctx);
    expect(await labelOf('t-stopped')).toBe('taken at the start');
  });

  test('a turn that failed before it selected its models takes the newest', async () => {
    await configure('newest');
    const ctx = { sessionId: 's-early', turnId: 't-early', workflowId: 'w-early' };
    const deps: ActivityDeps = { db: store.db, env, components: new Map(), corpus: [] };
    await createFailureReportActivities(deps).reportFailure(ctx, null, 'failed before the model selector');
    expect(await labelOf('t-early')).toBe('newest');
  });
});
