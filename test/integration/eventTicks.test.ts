import { Db, MongoClient, type CommandStartedEvent } from 'mongodb';
import { chatStream, executionStream } from '../../domain/events';
import { collections, type EventTickDoc } from '../../store/collections';
import { appendEvents, lastSeq, readEvents } from '../../store/eventLog';
import {
  recordEventWakeup,
  supportsChangeStreams,
  trimTicks,
  watchEventWakeups,
  type WokenStreams,
} from '../../store/eventWakeups';
import { prepareDatabase } from '../../store/prepareDatabase';
import { waitUntil } from '../../harness/client';
import { uniqueDbName } from '../../harness/servers';

/**
 * The wake-up ticks of FerretDB (store/eventWakeups.ts), kept in `events`: a batch's tick stored
 * by the batch's own insert, the tick written on its own when another process took its number,
 * readers of one process woken by another's appends, trimming, and a database upgraded from
 * ticks kept in `event_ticks`. A replica set wakes readers by change stream and writes no ticks
 * (test/integration/changeStreamWakeup.test.ts): there these tests have nothing to check.
 */
let client: MongoClient;
/** Another process: its own connections, and its own tick writer and head hints. */
let otherClient: MongoClient;
let db: Db;
type Stored = { _id: unknown };
/** The documents of each insert into `events` of `db`, in the order the inserts were sent. */
let inserts: Stored[][] = [];
let onReplicaSet = false;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!, { monitorCommands: true });
  otherClient = await MongoClient.connect(process.env.MONGODB_URL!);
  db = client.db(uniqueDbName('event_ticks'));
  await prepareDatabase(db);
  onReplicaSet = await supportsChangeStreams(db);
  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (event.databaseName === db.databaseName && event.commandName === 'insert' && event.command.insert === 'events')
      inserts.push(event.command.documents);
  });
});
afterAll(async () => {
  await client?.close();
  await otherClient?.close();
});

const event = (stream: string, key: string) => ({ stream, key, data: { key } });
const isTick = (doc: Stored) => typeof doc._id === 'number';
/** The inserts into `events` sent during `run`. */
async function insertsDuring(run: () => Promise<unknown>): Promise<Stored[][]> {
  await new Promise((resolve) => setImmediate(resolve));
  inserts = [];
  await run();
  return inserts;
}
/** Appends to `stream` until an append's insert carries its tick (the process knows a fresh tick head); returns that tick's number. */
async function carryingTicks(stream: string): Promise<number> {
  let n = 0;
  const carried = await waitUntil(
    'an append carried its tick',
    async () => (await insertsDuring(() => appendEvents(db, [event(stream, `${stream}-warm-${n++}`)])))[0]?.find(isTick),
    20_000,
  );
  return carried._id as number;
}
/** A reader of the wake-ups of `on`, keeping the newest head each stream was woken with. */
async function reader(on: Db) {
  const woken: WokenStreams = new Map();
  let rereads = 0;
  const wakeups = await watchEventWakeups(on, {
    streams: (streams) => streams.forEach((head, stream) => woken.set(stream, Math.max(head ?? 0, woken.get(stream) ?? 0))),
    all: () => rereads++,
  });
  return { woken, rereads: () => rereads, close: () => wakeups.close() };
}

test("a batch's tick goes in the batch's insert, as its last document: no command of its own", async () => {
  if (onReplicaSet) return;
  const [chat, execution] = [chatStream('s-carried'), executionStream('s-carried')];
  const head = await carryingTicks(chat);
  const chatSeq = (await lastSeq(db, chat)) + 1;
  const sent = await insertsDuring(() => appendEvents(db, [event(chat, 'c'), event(execution, 'e')]));
  const tick: EventTickDoc = { _id: head + 1, key: `tick#${head + 1}`, streams: [chat, execution], heads: [chatSeq, 1] };
  expect(sent.map((docs) => docs.map((doc) => doc._id))).toEqual([[`${chat}#${chatSeq}`, `${execution}#1`, head + 1]]);
  expect(sent[0][2]).toEqual(tick);
  expect(await collections(db).eventTicks.findOne({ _id: head + 1 })).toEqual(tick);
});

test('when another process took the tick number, the events are stored and the tick is written on its own, next', async () => {
  if (onReplicaSet) return;
  const stream = chatStream('s-taken');
  const head = await carryingTicks(stream);
  const taken: EventTickDoc = { _id: head + 1, key: `tick#${head + 1}`, streams: ['elsewhere'], heads: [1] };
  await collections(otherClient.db(db.databaseName)).eventTicks.insertOne(taken);
  const seq = (await lastSeq(db, stream)) + 1;
  await insertsDuring(() => appendEvents(db, [event(stream, 'after-taken')]));
  expect((await readEvents(db, stream, seq - 1)).map((e) => e.key)).toEqual(['after-taken']);
  await waitUntil('the tick written on its own', () => collections(db).eventTicks.findOne({ _id: head + 2 }), 20_000);
  // The batch's insert stopped at the taken tick; the tick went on its own to the next number, found without a search.
  expect(inserts.map((docs) => docs.map((doc) => (isTick(doc) ? doc._id : 'event')))).toEqual([['event', head + 1], [head + 2]]);
  expect(await collections(db).eventTicks.findOne({ _id: head + 2 })).toEqual({
    _id: head + 2,
    key: `tick#${head + 2}`,
    streams: [stream],
    heads: [seq],
  });
});

test("each process's readers are woken by the other's appends, up to the seq stored", async () => {
  if (onReplicaSet) return;
  const other = otherClient.db(db.databaseName);
  const [here, there] = [await reader(db), await reader(other)];
  try {
    const [mine, theirs] = [chatStream('s-here'), chatStream('s-there')];
    await appendEvents(db, [event(mine, 'm1'), event(mine, 'm2')]);
    await appendEvents(other, [event(theirs, 't1')]);
    for (const { woken } of [here, there])
      await waitUntil('both streams woken', async () => woken.get(mine) === 2 && woken.get(theirs) === 1, 20_000);
  } finally {
    await Promise.all([here.close(), there.close()]);
  }
});

test('after the ticks are trimmed, a new writer and a new reader carry on from their head; events stay', async () => {
  const ticksDb = client.db(uniqueDbName('trimmed_ticks'));
  await prepareDatabase(ticksDb);
  if (onReplicaSet) return;
  const { eventTicks, tickFloor } = collections(ticksDb);
  await appendEvents(ticksDb, [event(chatStream('s-kept'), 'kept')]); // its tick (1) is trimmed; the event stays
  await waitUntil('the append ticked', () => eventTicks.findOne({ _id: 1 }), 20_000);
  await eventTicks.insertMany(
    Array.from({ length: 49 }, (_, i) => ({ _id: i + 2, key: `tick#${i + 2}`, streams: ['old'], heads: [1] })),
  );
  await trimTicks(ticksDb, 40);
  expect((await eventTicks.find({ _id: { $gt: 0 } }).toArray()).map((tick) => tick._id)).toEqual(
    Array.from({ length: 10 }, (_, i) => i + 41),
  );
  expect(await tickFloor.findOne({ _id: 'tick-floor' })).toEqual({ _id: 'tick-floor', key: 'tick-floor', floor: 40 });
  expect((await readEvents(ticksDb, chatStream('s-kept'), 0)).map((e) => e.key)).toEqual(['kept']);

  const fresh = otherClient.db(ticksDb.databaseName); // a process that has written no tick yet
  const reading = await reader(fresh);
  try {
    recordEventWakeup(fresh, new Map([['new', 7]]));
    await waitUntil('the new tick woke the reader', async () => reading.woken.has('new'), 20_000);
    expect(await eventTicks.findOne({ _id: 51 })).toEqual({ _id: 51, key: 'tick#51', streams: ['new'], heads: [7] });
    expect(reading.woken.get('new')).toBe(7);
    expect(reading.woken.has('old')).toBe(false);
  } finally {
    await reading.close();
  }
});

test('upgraded from ticks kept in event_ticks: a reader re-reads every stream once, then new ticks wake it', async () => {
  const upgraded = client.db(uniqueDbName('upgraded_ticks'));
  await prepareDatabase(upgraded);
  if (onReplicaSet) return;
  // What processes from before left: their ticks and floor record in `event_ticks`.
  const legacy = upgraded.collection<{ _id: number; streams: string[]; heads?: number[]; floor?: number }>('event_ticks');
  await legacy.insertMany([
    { _id: 0, streams: [], floor: 10 },
    ...Array.from({ length: 30 }, (_, i) => ({ _id: i + 11, streams: ['old'], heads: [i + 1] })),
  ]);
  const reading = await reader(upgraded);
  try {
    expect(reading.rereads()).toBe(1); // what the old ticks told is read from the log itself
    await legacy.insertOne({ _id: 41, streams: ['from-an-older-process'], heads: [1] }); // reaches readers by their safety re-read only
    const stream = chatStream('s-upgraded');
    await appendEvents(upgraded, [event(stream, 'u1')]);
    await waitUntil('the new tick woke the reader', async () => reading.woken.get(stream) === 1, 20_000);
    expect(await collections(upgraded).eventTicks.findOne({ _id: 1 })).toEqual({
      _id: 1,
      key: 'tick#1',
      streams: [stream],
      heads: [1],
    });
    expect([...reading.woken.keys()]).toEqual([stream]);
    expect(reading.rereads()).toBe(1);
  } finally {
    await reading.close();
  }
});
