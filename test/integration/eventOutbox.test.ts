import { Db, MongoClient, type CommandStartedEvent } from 'mongodb';
import type { ActivityDeps } from '../../activities/deps';
import { runAsNode, type NodeSpec } from '../../activities/nodeLifecycle';
import { chatStream, executionStream } from '../../domain/events';
import type { TurnContext } from '../../domain/turnContracts';
import { withHeldEvents } from '../../store/emit';
import { appendEvents, readEvents } from '../../store/eventLog';
import { runHoldingScope } from '../../store/heldEvents';
import { prepareDatabase } from '../../store/prepareDatabase';
import { uniqueDbName } from '../../harness/servers';

/**
 * The event write path on the real database: a node's completion held for the activity's next
 * append (store/emit.ts), and a process's concurrent appends committed as one insert, its
 * concurrent reads as one query (store/eventLog.ts, store/groupCalls.ts), with its wake-up tick
 * on FerretDB (store/eventWakeups.ts).
 */
let client: MongoClient;
let db: Db;
type Stored = { _id: unknown };
/** The documents of each insert into `events` (events and wake-up ticks), in the order the inserts were sent. */
let eventInserts: Stored[][] = [];
/** Queries of `events` for events (a `stream#seq` `_id`), not for wake-up ticks. */
let eventFinds = 0;
const isEvent = (doc: Stored) => typeof doc._id === 'string' && doc._id.includes('#');
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!, { monitorCommands: true });
  db = client.db(uniqueDbName('event_outbox'));
  await prepareDatabase(db);
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (event.databaseName !== db.databaseName) return;
    if (event.commandName === 'insert' && event.command.insert === 'events') eventInserts.push(event.command.documents);
    const filter = event.command.filter as { _id?: unknown } | undefined;
    const asked = [(filter?._id as { $in?: unknown[] } | undefined)?.$in ?? filter?._id].flat();
    if (event.commandName === 'find' && event.command.find === 'events' && asked.some((_id) => isEvent({ _id }))) eventFinds++;
  });
});
afterAll(async () => {
  await client?.close();
});

const deps = () => ({ db }) as ActivityDeps;
const turn = (sessionId: string): TurnContext => ({ sessionId, turnId: `${sessionId}-t`, workflowId: `wf-${sessionId}` });
const spec = (id: string, parentId: string | null): NodeSpec => ({ id, type: 'tool', label: id, parentId, input: {} });
const node = (ctx: TurnContext, id: string, parentId: string | null) =>
  runAsNode(deps(), ctx, spec(id, parentId), async () => ({ out: id }));
/** What a stream holds, as `seq type node` (node events) or `seq key` (the rest). */
async function stored(stream: string): Promise<string[]> {
  return (await readEvents(db, stream, 0)).map(({ seq, key, data }) => {
    const d = data as { type: string; node?: { id: string }; node_id?: string; status?: string };
    if (d.node) return `${seq} ${d.type} ${d.node.id}`;
    return d.node_id ? `${seq} ${d.status} ${d.node_id}` : `${seq} ${key}`;
  });
}
/** The inserts into `events` sent during `run`, all their documents. */
async function commandsDuring(run: () => Promise<unknown>): Promise<Stored[][]> {
  await new Promise((resolve) => setImmediate(resolve)); // the commit loop of earlier appends has ended
  eventInserts = [];
  await run();
  return eventInserts;
}
/** The events of each insert sent during `run` that stored events (wake-up ticks left out). */
const insertsDuring = async (run: () => Promise<unknown>): Promise<Stored[][]> =>
  (await commandsDuring(run)).map((docs) => docs.filter(isEvent)).filter((docs) => docs.length > 0);

test("a node's completion goes with the next node's start, and the last one is stored before the activity returns", async () => {
  const ctx = turn('s-held');
  let afterFirst: string[] = [];
  const inserts = await insertsDuring(() =>
    withHeldEvents(async () => {
      await node(ctx, 'a', null);
      afterFirst = await stored(executionStream(ctx.sessionId));
      await node(ctx, 'b', 'a');
    }),
  );
  expect(afterFirst).toEqual(['1 node_started a']); // held, not stored alone
  // a's start; a's completion with b's start (its edge, node_started, agent_status); b's completion when the scope ended.
  expect(inserts.map((docs) => docs.length)).toEqual([2, 5, 2]);
  expect(await stored(executionStream(ctx.sessionId))).toEqual([
    '1 node_started a',
    '2 node_completed a',
    '3 edge:a->b',
    '4 node_started b',
    '5 node_completed b',
  ]);
  expect(await stored(chatStream(ctx.sessionId))).toEqual(['1 executing a', '2 success a', '3 executing b', '4 success b']);
});

test('an activity that throws still stores the completions it held, and rethrows its own error', async () => {
  const ctx = turn('s-throws');
  await expect(
    withHeldEvents(async () => {
      await node(ctx, 'x', null);
      throw new Error('the next step broke');
    }),
  ).rejects.toThrow('the next step broke');
  expect(await stored(executionStream(ctx.sessionId))).toEqual(['1 node_started x', '2 node_completed x']);
});

test('a node retried after its attempt died holding its completion announces it again, once', async () => {
  const ctx = turn('s-retried');
  // The first attempt finishes the node and dies before storing what it held: its scope is never emptied.
  await runHoldingScope(new Map(), () => node(ctx, 'r', null));
  expect(await stored(executionStream(ctx.sessionId))).toEqual(['1 node_started r']);
  // Each retry finds the node finished, returns its output and announces it; the key stores it once.
  for (let retry = 0; retry < 2; retry++)
    expect(await withHeldEvents(() => node(ctx, 'r', null))).toEqual({ output: { out: 'r' } });
  expect(await stored(executionStream(ctx.sessionId))).toEqual(['1 node_started r', '2 node_completed r']);
  expect(await stored(chatStream(ctx.sessionId))).toEqual(['1 executing r', '2 success r']);
});

const event = (stream: string, key: string) => ({ stream, key, data: { key } });

test("appends of several sessions made together or while one is stored share an insert, each stream's seqs in order", async () => {
  const sessions = ['s-g1', 's-g2', 's-g3', 's-g4', 's-g5'];
  const appendOf = (s: string) =>
    appendEvents(db, [event(chatStream(s), `${s}-c1`), event(executionStream(s), `${s}-e1`), event(chatStream(s), `${s}-c2`)]);
  const inserts = await insertsDuring(async () => {
    const together = Promise.all(sessions.slice(0, 2).map(appendOf));
    await new Promise((resolve) => setImmediate(resolve)); // their insert is in flight
    await Promise.all([together, ...sessions.slice(2).map(appendOf)]);
  });
  expect(inserts.map((docs) => docs.length)).toEqual([6, 9]);
  for (const s of sessions) {
    expect(await stored(chatStream(s))).toEqual([`1 ${s}-c1`, `2 ${s}-c2`]);
    expect(await stored(executionStream(s))).toEqual([`1 ${s}-e1`]);
  }
});

test('a stream whose event was stored before costs the other streams of the batch one more insert, not one each', async () => {
  const [a, b, c] = ['s-c1', 's-c2', 's-c3'].map(chatStream);
  await appendEvents(db, [event(a, 'a1')]);
  const inserts = await insertsDuring(() =>
    Promise.all([
      appendEvents(db, [event(a, 'a1'), event(a, 'a2')]), // a retry: a1 was stored before
      appendEvents(db, [event(b, 'b1'), event(b, 'b2')]),
      appendEvents(db, [event(c, 'c1')]),
    ]),
  );
  // The batch is refused at a1; a goes on one event at a time (a1 found stored, a2), b and c together.
  expect(inserts.map((docs) => docs.length)).toEqual([5, 1, 1, 3]);
  expect(await stored(a)).toEqual(['1 a1', '2 a2']);
  expect(await stored(b)).toEqual(['1 b1', '2 b2']);
  expect(await stored(c)).toEqual(['1 c1']);
});

test('reads of several streams made together are one query', async () => {
  const streams = ['s-r1', 's-r2', 's-r3'].map(chatStream);
  await appendEvents(
    db,
    streams.flatMap((s) => [event(s, `${s}-1`), event(s, `${s}-2`)]),
  );
  eventFinds = 0;
  const read = await Promise.all(streams.map((s) => readEvents(db, s, 0, 10, 2)));
  expect(eventFinds).toBe(1);
  expect(read.map((events) => events.map((e) => e.key))).toEqual(streams.map((s) => [`${s}-1`, `${s}-2`]));
});
