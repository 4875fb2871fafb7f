import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { abExperimentWorkflowId, type EvolveComponentResult } from '../../domain/evolution';
import type { PredictionRunDoc } from '../../store/predictionStore';
import { api, waitUntil } from '../../harness/client';
import { startOwnDatabase, type OwnDatabase } from '../../harness/servers';
import { shippedFoldersWithScaler } from '../support/componentFolders';
import { startTestStack, type TestStack } from '../../harness/stack';

/**
 * Evolution through an outage of the database, and evolutions that end without a word. This file
 * runs on a database of its own (the shared one serves other test files in parallel), which it
 * takes down: its storage process (PostgreSQL, or FerretDB on SQLite) is stopped for longer than
 * the retries of a step once lasted (5 attempts, about 7 s), then started again on the same port
 * and data, once during the candidate search and once while the promoted version is watched.
 */
const OUTAGE_MS = 15_000;
// Generous: the search and the experiment are CPU-bound, on 2 shared cores.
const STAGE_WAIT_MS = 240_000;
jest.setTimeout(900_000);

let dir: string;
let database: OwnDatabase;
let stack: TestStack;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-outage-'));
  await chmod(dir, 0o755); // PostgreSQL may run as another user and needs to reach its data directory
  const { componentsDir, suitesDir } = await shippedFoldersWithScaler(dir);
  database = await startOwnDatabase(dir);
  stack = await startTestStack('outage', {
    MONGODB_URL: database.url,
    EVOSCOPE_COMPONENTS_DIR: componentsDir,
    EVOSCOPE_SUITES_DIR: suitesDir,
    // A longer search, so that the outage falls inside it.
    EVOLUTION_CANDIDATES: '40',
  });
});
afterAll(async () => {
  await stack?.stop();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Waits for the evolution's stage; fails at once if its workflow ends first. */
const reachStage = (handle: WorkflowHandle, stage: string) =>
  waitUntil(
    `the evolution to reach "${stage}"`,
    async () => {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') throw new Error(`the evolution ended ${status.name.toLowerCase()} before "${stage}"`);
      return (await handle.query<string>('evolutionStage')) === stage;
    },
    STAGE_WAIT_MS,
  );

/** The attempt each activity of the workflow finished (or gave up) on, by activity type: more than 1 means it was retried. */
async function attemptsByActivity(handle: WorkflowHandle): Promise<Map<string, number[]>> {
  const events = (await handle.fetchHistory()).events ?? [];
  const typeOf = new Map<string, string>();
  const attempts = new Map<string, number[]>();
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(event.eventId), scheduled.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const type = typeOf.get(String(started.scheduledEventId)) ?? '';
      attempts.set(type, [...(attempts.get(type) ?? []), started.attempt ?? 1]);
    }
  }
  return attempts;
}

test('a terminated evolution leaves its prediction failed, with the reason, and executable again', async () => {
  const executable = (await api(stack, 'GET', '/api/system/predictions')).body.predictions.find(
    (p: any) => p.component_id === 'scaler' && p.executable && p.status === 'open',
  );
  expect(executable).toBeTruthy();
  const first = await api(stack, 'POST', `/api/system/predictions/${executable.id}/execute`);
  expect(first.status).toBe(202);
  await stack.temporal.workflow.getHandle(first.body.workflow_id).terminate('the test ends it');

  const again = await api(stack, 'POST', `/api/system/predictions/${executable.id}/execute`);
  expect({ status: again.status, message: again.body.message }).toEqual({ status: 202, message: undefined });
  const firstRun = await stack.mongo.db.collection<PredictionRunDoc>('prediction_runs').findOne({ _id: `${executable.id}#1` });
  expect(firstRun).toMatchObject({
    experiment_id: first.body.experiment_id,
    done_at: expect.any(String),
    actual_improvement: null,
    failure: `the evolution did not record how it ended: its workflow ${first.body.workflow_id} ended terminated`,
  });
  // The second run is the one executing now; it too is ended, and the prediction lists as failed with that reason.
  await stack.temporal.workflow.getHandle(again.body.workflow_id).terminate('the test ends it too');
  // Listed, it is found again by the analysis (so open again), with why its last run failed.
  const after = (await api(stack, 'GET', '/api/system/predictions')).body.predictions.find((p: any) => p.id === executable.id);
  expect(after).toMatchObject({
    status: 'open',
    experiment_id: again.body.experiment_id,
    failure: expect.stringMatching(/ended terminated$/),
  });
  const experiment = (await api(stack, 'GET', `/api/sandbox/experiments/${again.body.experiment_id}`)).body;
  expect(experiment.status).not.toBe('running');
});

test('the database goes down during the candidate search and during the watch: the evolution completes', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
  // A watch long enough to hold an outage; no live runs, so it never judges a regression.
  await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 1.5, watch_check_interval_minutes: 0.05 });
  const started = await api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', seed: 5 });
  expect(started.status).toBe(202);
  const handle = stack.temporal.workflow.getHandle(started.body.workflow_id);

  await reachStage(handle, 'proposing');
  await database.outage(OUTAGE_MS);
  await reachStage(handle, 'watching');
  await database.outage(OUTAGE_MS);

  const result: EvolveComponentResult = await handle.result();
  expect(result).toMatchObject({ outcome: 'promoted', rolledBack: false });
  const experimentRun = stack.temporal.workflow.getHandle(abExperimentWorkflowId(started.body.experiment_id));
  const attempts = new Map([...(await attemptsByActivity(handle)), ...(await attemptsByActivity(experimentRun))]);
  // Each outage reached the steps in flight, which retried until the database was back: the
  // first one whichever step ran when it began (the search, or, on a quick machine, the
  // experiment the search opened), the second the watch.
  const retriedBeforeWatch = [...attempts].filter(([type, tries]) => type !== 'measureLiveRegression' && Math.max(...tries) > 1);
  expect(retriedBeforeWatch).not.toEqual([]);
  expect(Math.max(...(attempts.get('measureLiveRegression') ?? [1]))).toBeGreaterThan(1);
  const experiment = (await api(stack, 'GET', `/api/sandbox/experiments/${started.body.experiment_id}`)).body;
  expect(experiment.decision).toMatchObject({ outcome: 'promoted', decided_by: 'system' });
  expect((await api(stack, 'GET', '/api/meta/components/scaler')).body.current_version).toBe(result.candidateVersion);
});
