import { randomUUID } from 'node:crypto';
import { loadEnv } from '../../domain/server/env';
import { connectTemporalClient, type TemporalClient } from '../../api/temporalClient';

/**
 * The API's Temporal client closes in order (api/temporalCallGate.ts): a call in flight when it
 * closes, here a long poll for the result of a workflow no worker runs, ends at once with an error
 * for its caller, instead of outliving the connection and retrying into a closed channel later.
 */
const taskQueue = `nobody-polls-${randomUUID()}`;
let client: TemporalClient;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  client = await connectTemporalClient(loadEnv({ ...process.env, EVOSCOPE_TASK_QUEUE: taskQueue }));
});

test('closing cancels a long poll in flight, and a call after closing fails for its caller', async () => {
  const { temporal } = client;
  const handle = await temporal.workflow.start('chatTurn', { taskQueue, workflowId: `shutdown-${randomUUID()}`, args: [] });
  const result = handle.result().then(
    () => 'answered',
    (err: Error) => `failed: ${String(err.cause)}`,
  );
  // Long enough for the long poll to be on the wire.
  await sleep(500);
  await client.close();
  const stillWaiting = sleep(5000).then(() => 'still waiting');
  expect(await Promise.race([result, stillWaiting])).toBe('failed: Error: 1 CANCELLED: the Temporal connection is closing');
  await expect(handle.describe()).rejects.toThrow();
  // A retry left behind would fire within this time and fail the file.
  await sleep(2000);
});
