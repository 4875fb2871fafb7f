import { Db, MongoClient } from 'mongodb';
import { chatStream, executionStream } from '../../domain/events';
import { collections } from '../../store/collections';
import { appendEvents, readEvents } from '../../store/eventLog';
import { watchEventWakeups } from '../../store/eventWakeups';
import { saveNodePosition } from '../../store/graphStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { readAutonomyLevel, writeAutonomyLevel } from '../../store/settingsStore';
import { waitUntil } from '../../harness/client';
import { uniqueDbName } from '../../harness/servers';

/** The store's batched event appends, wake-ups (ticks: eventTicks.test.ts), node positions and the settings migration, on the real database. */
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
  db = client.db(uniqueDbName('store_writes'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

const event = (stream: string, key: string) => ({ stream, key, data: { key } });
const keysOf = async (stream: string) => (await readEvents(db, stream, 0)).map((e) => `${e.seq}:${e.key}`);

test('a batch stores each stream in order, gap-free; re-sending it stores nothing new', async () => {
  const [chat, execution] = [chatStream('s-batch'), executionStream('s-batch')];
  const batch = [event(execution, 'e1'), event(chat, 'c1'), event(execution, 'e2'), event(execution, 'e3')];
  await appendEvents(db, batch);
  await appendEvents(db, batch);
  expect(await keysOf(execution)).toEqual(['1:e1', '2:e2', '3:e3']);
  expect(await keysOf(chat)).toEqual(['1:c1']);
});

test('a batch whose middle key was stored before stores the others after the head', async () => {
  const stream = chatStream('s-retry');
  await appendEvents(db, [event(stream, 'a'), event(stream, 'b')]);
  await appendEvents(db, [event(stream, 'c'), event(stream, 'b'), event(stream, 'd')]);
  expect(await keysOf(stream)).toEqual(['1:a', '2:b', '3:c', '4:d']);
});

test('batches racing on one stream all land, each key once, with no gap', async () => {
  const stream = executionStream('s-race');
  await Promise.all(
    Array.from({ length: 8 }, (_, w) =>
      appendEvents(db, [event(stream, `w${w}-1`), event(stream, `w${w}-2`), event(stream, `w${w}-3`)]),
    ),
  );
  const stored = await readEvents(db, stream, 0);
  expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  expect(new Set(stored.map((e) => e.key)).size).toBe(24);
  for (let w = 0; w < 8; w++) {
    const seqs = [1, 2, 3].map((n) => stored.find((e) => e.key === `w${w}-${n}`)!.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // each writer's own order kept
  }
});

test('a setting stored before revisions becomes revision 1 at start, and is read and changed as before', async () => {
  const legacyDb = client.db(uniqueDbName('store_legacy'));
  await legacyDb.collection('settings').insertOne({ _id: 'autonomy_level' as never, value: 'semi_auto' });
  await prepareDatabase(legacyDb);
  await prepareDatabase(legacyDb); // every process runs it: idempotent
  expect(await readAutonomyLevel(legacyDb)).toBe('semi_auto');
  expect(await collections(legacyDb).settings.countDocuments({ setting: 'autonomy_level' })).toBe(1);
  expect(await writeAutonomyLevel(legacyDb, 'full')).toBe('semi_auto');
  expect(await readAutonomyLevel(legacyDb)).toBe('full');
});

test('a node keeps one position record however often it is moved; of racing saves the newest stays', async () => {
  const { nodePositions } = collections(db);
  for (let x = 0; x < 20; x++) await saveNodePosition(db, 's-moves', 'n-moved', { x, y: 0 });
  expect(await nodePositions.find({ node_id: 'n-moved' }).toArray()).toEqual([
    expect.objectContaining({ session_id: 's-moves', node_id: 'n-moved', x: 19, y: 0 }),
  ]);

  const saves = await Promise.all(Array.from({ length: 10 }, (_, x) => saveNodePosition(db, 's-moves', 'n-raced', { x, y: 1 })));
  const stored = await nodePositions.find({ node_id: 'n-raced' }).toArray();
  expect(stored).toHaveLength(1);
  const newest = saves
    .map((s) => s.saved_at)
    .sort()
    .at(-1);
  expect(stored[0].saved_at).toBe(newest);
  expect(saves.filter((s) => s.saved_at === newest).map((s) => s.position.x)).toContain(stored[0].x);
});

test('an append wakes a reader: by change stream on a replica set (MONGODB_URL), by ticks on FerretDB', async () => {
  const wakeDb = client.db(uniqueDbName('store_wakeups'));
  await prepareDatabase(wakeDb);
  const woken = new Set<string>();
  const wakeups = await watchEventWakeups(wakeDb, {
    streams: (streams) => streams.forEach((_head, stream) => woken.add(stream)),
    all: () => undefined,
  });
  try {
    const stream = chatStream('s-woken');
    // A change stream starts listening a moment after it is opened: append until the reader hears one.
    await waitUntil(
      'an append woke the reader',
      async () => {
        await appendEvents(wakeDb, [event(stream, `k${woken.size}-${Date.now()}`)]);
        return woken.has(stream);
      },
      30_000,
    );
  } finally {
    await wakeups.close();
  }
});
