import {
  bundleWorkflowCode,
  DefaultLogger,
  ReplayWorkerOptions,
  Runtime,
  Worker,
  WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import path from 'node:path';
import { HISTORY_FIXTURES, readHistoryFixture } from '../support/historyFixtures';

/**
 * Determinism guard: histories recorded from real runs (scripts/recordHistories.sh) replayed against
 * the current workflow code. A workflow whose commands changed (an activity moved, a timer added)
 * without a patch would break the runs in flight: its replay fails here with a nondeterminism error.
 * Replay needs no server, only the workflows bundle.
 */
let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  bundle = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows'),
    logger: new DefaultLogger('ERROR'),
  });
}, 120_000);

test.each(HISTORY_FIXTURES)('the recorded %s history replays on the current workflow code', async (name) => {
  const history = readHistoryFixture(name);
  // The workflow sees the replay worker's task queue, and evolveComponent names a child by it: replay on the
  // recorded queue, as a deployed worker would (the replay options leave it out of their type, not out of use).
  const taskQueue = history.events[0].workflowExecutionStartedEventAttributes?.taskQueue?.name;
  if (!taskQueue) throw new Error(`${name}.json does not begin with the workflow's start`);
  const options: ReplayWorkerOptions & { taskQueue: string } = { workflowBundle: bundle, taskQueue };
  const replay = Worker.runReplayHistory(options, history, `${name}-fixture`);
  await expect(replay).resolves.toBeUndefined();
});
