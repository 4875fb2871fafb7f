import { MongoClient } from 'mongodb';
import { waitUntil } from '../../harness/client';

/**
 * Every read the event log and the node details make is a lookup by `_id`: it must be served
 * by an index. On the embedded FerretDB that index is the one tools/ferretdb adds (FerretDB
 * v1.24's own `_id` index is never used by its lookups); on MongoDB it is the built-in one.
 */
let client: MongoClient;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
});
afterAll(async () => {
  await client?.close();
});

/** SQLite's plan names the `_id` path index, PostgreSQL's the GIN index (tools/ferretdb adds both), MongoDB's an id or index scan. */
const INDEXED_PLAN = /USING INDEX \w+__id_path|"Index Name":"\w+_gin"|IDHACK|EXPRESS_IXSCAN|IXSCAN/;

test('a lookup by _id in a new collection is answered from an index', async () => {
  const events = client.db('id_lookups').collection<{ _id: string; n: number }>('events');
  await events.insertMany(Array.from({ length: 1000 }, (_, n) => ({ _id: `stream#${n}`, n })));
  const plan = async () =>
    JSON.stringify(
      (await client.db('id_lookups').command({ explain: { find: 'events', filter: { _id: 'stream#7' } } })).queryPlanner,
    );
  // FerretDB gets the index within a couple of seconds of the collection appearing, and its
  // connections take it up with their next write (the event log writes all the time). SQLite
  // rightly scans a table of a few dozen rows instead, hence a thousand.
  let writes = 0;
  let lastPlan = '';
  await waitUntil(
    'an index serving _id lookups',
    async () => {
      await events.insertOne({ _id: `later#${writes++}`, n: -1 });
      lastPlan = await plan();
      return INDEXED_PLAN.test(lastPlan);
    },
    20_000,
  ).catch(() => expect(lastPlan).toMatch(INDEXED_PLAN));
  expect(await events.findOne({ _id: 'stream#7' })).toEqual({ _id: 'stream#7', n: 7 });
});
