import { Db, MongoClient } from 'mongodb';
import { chatStream, executionStream } from '../../domain/events';
import { collections } from '../../store/collections';
import { appendEvents, lastSeq } from '../../store/eventLog';
import { supportsChangeStreams, watchEventWakeups } from '../../store/eventWakeups';
import { prepareDatabase } from '../../store/prepareDatabase';
import { waitUntil } from '../../harness/client';
import { uniqueDbName } from '../../harness/servers';

/**
 * The change-stream wake-up (store/eventWakeups.ts) on a real MongoDB replica set: the docker-compose
 * path. FerretDB has no change streams, so this runs only when MONGODB_URL names a replica set
 * (`replicaSet=` in its query, or a `mongodb+srv:` address); README, "Against real MongoDB", says how.
 * On such a URL the database must offer change streams: one that does not fails here rather than
 * quietly waking readers by ticks.
 */
const url = process.env.MONGODB_URL ?? '';
const namesReplicaSet = /^mongodb\+srv:|[?&]replicaSet=/.test(url);
const onReplicaSet = namesReplicaSet ? test : test.skip;
const skipped = namesReplicaSet ? '' : ' [skipped: MONGODB_URL names no replica set; README, "Against real MongoDB"]';

let client: MongoClient;
let db: Db;
beforeAll(async () => {
  if (!namesReplicaSet) return;
  client = await MongoClient.connect(url);
  db = client.db(uniqueDbName('change_stream_wakeups'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

onReplicaSet(`an append wakes a reader by change stream, with the seq it stored, and writes no ticks${skipped}`, async () => {
  expect(await supportsChangeStreams(db)).toBe(true);
  const heads = new Map<string, number | null>();
  const wakeups = await watchEventWakeups(db, {
    streams: (woken) => woken.forEach((head, stream) => heads.set(stream, head)),
    all: () => undefined,
  });
  try {
    const [chat, execution] = [chatStream('s-changes'), executionStream('s-changes')];
    // A change stream starts listening a moment after it is opened: append until the reader hears one.
    let n = 0;
    await waitUntil(
      'an append woke the reader',
      async () => {
        await appendEvents(db, [{ stream: chat, key: `warm-${n++}`, data: {} }]);
        return heads.has(chat);
      },
      30_000,
    );
    await appendEvents(db, [
      { stream: execution, key: 'e1', data: {} },
      { stream: chat, key: 'c-last', data: {} },
    ]);
    const [chatHead, executionHead] = [await lastSeq(db, chat), await lastSeq(db, execution)];
    await waitUntil(
      'both streams woken up to their newest seq',
      async () => heads.get(chat) === chatHead && heads.get(execution) === executionHead,
      30_000,
    );
    expect(await collections(db).eventTicks.countDocuments({ _id: { $gt: 0 } })).toBe(0);
    // A tick document (as FerretDB's wake-ups store in `events`) wakes no change-stream reader.
    await collections(db).eventTicks.insertOne({ _id: 1, key: 'tick#1', streams: ['not-an-event'], heads: [1] });
    await appendEvents(db, [{ stream: chat, key: 'after-the-tick', data: {} }]);
    await waitUntil('the append after the tick woke the reader', async () => heads.get(chat) === chatHead + 1, 30_000);
    expect([...heads.keys()].sort()).toEqual([chat, execution].sort());
  } finally {
    await wakeups.close();
  }
});
