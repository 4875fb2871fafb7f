import os from 'node:os';
import path from 'node:path';
import { ManagedProcess, spawnWithLog, stopProcess } from '../../scripts/lib/processes';
import { api, openChannel, waitForTurn } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import { expectTurnIntact } from '../support/turnInvariants';

/**
 * Durability with real processes: the worker is killed (SIGKILL) in the middle of a turn
 * and started again; the turn completes, and nothing is duplicated.
 */
const root = path.resolve(__dirname, '..', '..');
/** Slow enough that the answer is still streaming when the first token has reached the socket, even on a loaded machine. */
const TOKEN_DELAY_MS = '100';
let stack: TestStack;
const logDir = path.join(os.tmpdir(), `evoscope-durability-${process.pid}`);

function startWorkerProcess(env: NodeJS.ProcessEnv, n: number): ManagedProcess {
  return spawnWithLog({
    name: `worker-${n}`,
    command: process.execPath,
    args: ['--no-node-snapshot', '--import', 'tsx', path.join(root, 'worker/main.ts')],
    logFile: path.join(logDir, `worker-${n}.log`),
    env,
  });
}

beforeAll(async () => {
  // The API (in this process) with no in-process worker: the worker runs as a separate process we can kill.
  stack = await startTestStack('durability', { OFFLINE_TOKEN_DELAY_MS: TOKEN_DELAY_MS }, { withWorker: false });
});
afterAll(async () => {
  await stack?.stop();
});

test('killing the worker mid-answer: the turn completes with no duplicated node, message or event', async () => {
  const workerEnv = {
    ...process.env,
    MONGODB_DB: stack.env.MONGODB_DB,
    EVOSCOPE_TASK_QUEUE: stack.env.EVOSCOPE_TASK_QUEUE,
    OFFLINE_TOKEN_DELAY_MS: TOKEN_DELAY_MS,
    NODE_OPTIONS: '',
  };
  const unhealthy = await api(stack, 'GET', '/healthz', undefined, null);
  expect(unhealthy).toMatchObject({
    status: 503,
    body: { ok: false, temporal: 'ok', mongodb: 'ok', worker: 'no worker is polling the task queue' },
  });
  let worker = startWorkerProcess(workerEnv, 1);
  try {
    const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
    const chat = await openChannel(stack, `/ws/chat/${session.id}`);
    const sent = (
      await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'write a long story about a lighthouse' })
    ).body;
    await chat.waitFor((m) => m.data?.type === 'token', 120_000);
    worker.child.kill('SIGKILL');
    await worker.exited;
    // The kill must have interrupted the answer, or there is nothing to resume.
    const response = await stack.mongo.db
      .collection<{ _id: string; status: string }>('execution_nodes')
      .findOne({ _id: `${sent.turn_id}:response` });
    expect(response?.status).toBe('executing');

    worker = startWorkerProcess(workerEnv, 2);
    await waitForTurn(stack, sent.turn_id, 120_000);
    const { answer } = await expectTurnIntact(stack.mongo.db, session.id, sent.turn_id, [
      'user_input',
      'model_selector',
      'agent',
      'plan',
      'response',
      'learning',
    ]);

    // The retried attempt announced itself; a listener that drops earlier attempts' tokens sees exactly the answer.
    const received = chat.messages.filter((m) => m.type === 'chat_event').map((m) => m.data);
    const reset = received.find((d) => d.type === 'stream_reset');
    expect(reset).toBeTruthy();
    const finalTokens = received
      .filter((d) => d.type === 'token' && d.attempt === reset.attempt)
      .map((d) => d.delta)
      .join('');
    expect(finalTokens).toBe(answer.content);
    chat.close();
  } finally {
    await stopProcess(worker);
  }
});
