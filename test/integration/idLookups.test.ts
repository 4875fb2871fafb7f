import { MongoClient } from 'mongodb';
import { waitUntil } from '../support/client';

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
  await waitUntil(
    'an index serving _id lookups',
    async () => {
      await events.insertOne({ _id: `later#${writes++}`, n: -1 });
      return /USING INDEX \w+__id_path|IDHACK|EXPRESS_IXSCAN|IXSCAN/.test(await plan());
    },
    20_000,
  );
  expect(await events.findOne({ _id: 'stream#7' })).toEqual({ _id: 'stream#7', n: 7 });
});
