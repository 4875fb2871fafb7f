import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ManagedProcess, getFreePort, spawnWithLog, stopProcess, waitForPort } from '../../scripts/lib/processes';
import { connectMongo, Mongo } from '../../store/mongo';
import { prepareDatabase } from '../../store/prepareDatabase';
import { uniqueDbName } from '../../harness/servers';
import { TEST_TOKEN } from '../../harness/stack';
import { waitUntil } from '../../harness/client';

/**
 * Two workers and two API processes on one Temporal and one FerretDB: one worker has an empty
 * components folder (its components come from the store), turns are sent through both APIs
 * and watched through the other one. Every turn completes, every subscriber gets its streams
 * exactly once and in order, and both workers ran turns.
 */
const root = path.resolve(__dirname, '..', '..');
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-multi-'));
const TURNS_PER_API = 6;

const dbName = uniqueDbName('multi');
const taskQueue = `q-${dbName}`;
const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_OPTIONS: '',
  MONGODB_DB: dbName,
  EVOSCOPE_TASK_QUEUE: taskQueue,
  EVOSCOPE_TOKEN: TEST_TOKEN,
  OFFLINE_TOKEN_DELAY_MS: '2',
  ...extra,
});
const tsx = (name: string, script: string, env: NodeJS.ProcessEnv) =>
  spawnWithLog({
    name,
    command: process.execPath,
    args: ['--no-node-snapshot', '--import', 'tsx', path.join(root, script)],
    logFile: path.join(logDir, `${name}.log`),
    env,
  });

let mongo: Mongo;
let temporal: Client;
const processes: ManagedProcess[] = [];
const apis: { url: string; ws: string }[] = [];
const workers: ManagedProcess[] = [];

beforeAll(async () => {
  mongo = await connectMongo(process.env.MONGODB_URL!, dbName);
  await prepareDatabase(mongo.db);
  temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
  const emptyComponents = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-empty-components-'));
  workers.push(tsx('worker-checkout', 'worker/main.ts', baseEnv({})));
  // Started second, so the components are in the store by then? Not needed: it follows the store whenever they arrive.
  workers.push(tsx('worker-empty', 'worker/main.ts', baseEnv({ EVOSCOPE_COMPONENTS_DIR: emptyComponents })));
  processes.push(...workers);
  for (const n of [1, 2]) {
    const port = await getFreePort();
    const api = tsx(`api-${n}`, 'api/main.ts', baseEnv({ PORT: String(port), HOST: '127.0.0.1', EVOSCOPE_DATA_DIR: logDir }));
    processes.push(api);
    await waitForPort('127.0.0.1', port, { name: `api-${n}`, process: api, timeoutMs: 120_000 });
    apis.push({ url: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` });
  }
  // Both workers poll before any turn starts (the API's health check counts pollers).
  await waitUntil(
    'two workers polling',
    async () => {
      const described = await temporal.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: taskQueue },
        taskQueueType: 1, // workflow tasks
      });
      return (described.pollers?.length ?? 0) >= 2;
    },
    120_000,
  );
});

afterAll(async () => {
  for (const p of processes) await stopProcess(p);
  await temporal?.connection.close();
  await mongo?.client.close();
});

async function call(apiUrl: string, method: string, route: string, body?: unknown) {
  const res = await fetch(`${apiUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Everything a channel sends, by seq. */
function subscribe(wsBase: string, route: string) {
  const socket = new WebSocket(`${wsBase}${route}?after_seq=0&token=${TEST_TOKEN}`);
  const events: { seq: number; data: any }[] = [];
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString());
    if (typeof message.seq === 'number') events.push({ seq: message.seq, data: message.data });
  });
  const open = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { events, open, close: () => socket.close() };
}

test('2 workers (one with an empty components folder) and 2 APIs: turns through both APIs, events through the other, exactly once', async () => {
  const sessions: { id: string; sendVia: number; chat: ReturnType<typeof subscribe>; execution: ReturnType<typeof subscribe> }[] =
    [];
  for (let i = 0; i < TURNS_PER_API * 2; i++) {
    const sendVia = i % 2;
    const watchVia = apis[1 - sendVia];
    const session = (await call(apis[sendVia].url, 'POST', '/api/chat/sessions', { title: `multi ${i}` })).body;
    const chat = subscribe(watchVia.ws, `/ws/chat/${session.id}`);
    const execution = subscribe(watchVia.ws, `/ws/execution/${session.id}`);
    await Promise.all([chat.open, execution.open]);
    sessions.push({ id: session.id, sendVia, chat, execution });
  }
  const sent = await Promise.all(
    sessions.map(async (s, i) => {
      const res = await call(apis[s.sendVia].url, 'POST', `/api/chat/${s.id}/message`, { content: `what is ${i}*3+1` });
      expect(res.status).toBe(202);
      return res.body as { turn_id: string };
    }),
  );

  // Every turn completes, and every subscriber (on the other API) sees its turn finish.
  for (const [i, s] of sessions.entries()) {
    await waitUntil(
      `turn ${i} on the other API`,
      async () => s.execution.events.some((e) => e.data.type === 'graph_updated'),
      120_000,
    );
    await waitUntil(
      `answer ${i} on the other API`,
      async () => s.chat.events.some((e) => e.data.type === 'message_completed' && e.data.message.role === 'assistant'),
      120_000,
    );
    const turn = await mongo.db.collection('turns').findOne({ _id: sent[i].turn_id as never });
    expect(turn?.status).toBe('completed');
  }

  // Exactly once, in order: each channel got its stream's stored events 1..n, no gap, no repeat.
  for (const s of sessions) {
    for (const [channel, stream] of [
      [s.chat, `chat:${s.id}`],
      [s.execution, `execution:${s.id}`],
    ] as const) {
      const stored = await mongo.db.collection('events').countDocuments({ stream });
      expect(channel.events.map((e) => e.seq)).toEqual(Array.from({ length: stored }, (_, k) => k + 1));
    }
    s.chat.close();
    s.execution.close();
  }

  // The worker with no component files ran the same versions as the one with the checkout.
  const tools = await mongo.db
    .collection('execution_nodes')
    .find({ type: 'tool', session_id: { $in: sessions.map((s) => s.id) } })
    .toArray();
  const current = await mongo.db.collection('components').findOne({ _id: 'calculator' as never });
  expect(tools).toHaveLength(sessions.length);
  expect(new Set(tools.map((t) => `${t.component}@${t.version}`))).toEqual(new Set([`calculator@${current?.current_version}`]));

  // Both workers ran turns: the identities that completed workflow tasks name both processes.
  const ranBy = new Set<string>();
  for (const s of sent) {
    const history = await temporal.workflow.getHandle(`chat-turn:${s.turn_id}`).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
      if (identity) ranBy.add(identity.split('@')[0]);
    }
  }
  expect([...ranBy].sort()).toEqual(workers.map((w) => String(w.child.pid)).sort());
});
