import type { ActivityDeps } from '../../activities/deps';
import { createLearningActivities } from '../../activities/turn/recordLearning';
import { createUserInputActivities } from '../../activities/turn/recordUserInput';
import { loadEnv } from '../../domain/server/env';
import { nodeIdFor } from '../../domain/workflowContracts';
import { nodePayloadsById } from '../../store/graphStore';
import { getTurn, setTurnModel } from '../../store/turnStore';
import { useTestDatabase } from '../support/testDatabase';

/**
 * The turn's learning step finishes the turn from what the workflow tells it (the start it had
 * the turn recorded with, the model it selected), and reads the turn when told nothing: a turn
 * that failed before selecting its models, or one whose history recorded the step before it was told.
 */
const store = useTestDatabase('learning_step');
let deps: ActivityDeps;
beforeAll(async () => {
  deps = { db: store.db, env: loadEnv({}), components: new Map(), corpus: [] };
});

const storedModel = { provider: 'openai', model: 'stored', offline: false };
const toldModel = { provider: 'openai', model: 'told', offline: false };

/** A turn recorded started at `startedAt` (as the workflow tells its first step), its model as selectModel stores it. */
async function startedTurn(turnId: string, startedAt: string) {
  const ctx = { sessionId: `s-${turnId}`, turnId, workflowId: `w-${turnId}` };
  const parentId = await createUserInputActivities(deps).recordUserInput({
    ...ctx,
    userMessageId: `${turnId}:user`,
    content: 'hi',
    startedAt,
  });
  await setTurnModel(store.db, turnId, storedModel);
  return { ctx, parentId };
}
const learnedOf = async (turnId: string) => {
  const id = nodeIdFor(turnId, 'learning');
  return (await nodePayloadsById(store.db, [id], { input: 1, output: 1 })).get(id)?.output as {
    model: unknown;
    duration_ms: number;
  };
};

test('told the turn, the step finishes it from what it was told', async () => {
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  const { ctx, parentId } = await startedTurn('t-told', startedAt);
  expect((await getTurn(store.db, 't-told'))!.started_at).toBe(startedAt);
  await createLearningActivities(deps).recordLearning(ctx, parentId, 'completed', 2, { startedAt, model: toldModel });
  const learned = await learnedOf('t-told');
  // The told model, not the stored one: the step took the turn from its input, not from a read.
  expect(learned.model).toEqual(toldModel);
  const turn = (await getTurn(store.db, 't-told'))!;
  expect(turn.status).toBe('completed');
  expect(turn.duration_ms).toBe(Date.parse(turn.ended_at!) - Date.parse(startedAt));
  expect(turn.duration_ms).toBeGreaterThanOrEqual(60_000);
  expect(learned.duration_ms).toBe(turn.duration_ms);
});

test('told nothing (the old input, four arguments), the step reads the turn', async () => {
  const startedAt = new Date(Date.now() - 30_000).toISOString();
  const { ctx, parentId } = await startedTurn('t-old', startedAt);
  await createLearningActivities(deps).recordLearning(ctx, parentId, 'failed', 0);
  expect((await learnedOf('t-old')).model).toEqual(storedModel);
  const turn = (await getTurn(store.db, 't-old'))!;
  expect(turn.status).toBe('failed');
  expect(turn.duration_ms).toBe(Date.parse(turn.ended_at!) - Date.parse(startedAt));
});

test('a retried step keeps the first outcome', async () => {
  const startedAt = new Date().toISOString();
  const { ctx, parentId } = await startedTurn('t-retried', startedAt);
  const learning = createLearningActivities(deps);
  await learning.recordLearning(ctx, parentId, 'completed', 1, { startedAt, model: toldModel });
  const first = (await getTurn(store.db, 't-retried'))!;
  await learning.recordLearning(ctx, parentId, 'completed', 1, { startedAt, model: toldModel });
  expect(await getTurn(store.db, 't-retried')).toEqual(first);
});
