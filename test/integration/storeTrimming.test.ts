import { Db, MongoClient } from 'mongodb';
import { chatStream, executionStream } from '../../domain/events';
import { collections } from '../../store/collections';
import { appendEvents, readEvents } from '../../store/eventLog';
import { getGraphParts, saveNodePosition } from '../../store/graphStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { createSession, deleteSession } from '../../store/sessionStore';
import { PURGE_DELETED_AFTER_MS, trimStore } from '../../store/storeTrimming';
import { uniqueDbName } from '../../harness/servers';

/** What the worker trims on its schedule (store/storeTrimming.ts), on the real database. */
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
  db = client.db(uniqueDbName('store_trimming'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

const message = (sessionId: string, n: number) => ({
  _id: `${sessionId}:m${n}`,
  id: `${sessionId}:m${n}`,
  session_id: sessionId,
  role: 'user' as const,
  content: `message ${n}`,
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  seq_in_session: n,
});

async function sessionWithRecords(id: string) {
  await createSession(db, id, id);
  await collections(db).messages.insertMany([1, 2, 3].map((n) => message(id, n)) as never[]);
  await collections(db).nodes.insertOne({ _id: `${id}:n`, id: `${id}:n`, session_id: id } as never);
  await saveNodePosition(db, id, `${id}:n`, { x: 1, y: 2 });
  await appendEvents(db, [
    { stream: chatStream(id), key: `${id}:c`, data: {} },
    { stream: executionStream(id), key: `${id}:e`, data: {} },
  ]);
}

test('a session deleted longer ago than the bound is purged, a recent deletion and a live session are kept', async () => {
  for (const id of ['s-old', 's-recent', 's-live']) await sessionWithRecords(id);
  await deleteSession(db, 's-old');
  await deleteSession(db, 's-recent');
  const deletedAt = Date.now();
  await collections(db).sessionDeletions.updateOne(
    { _id: 's-old' },
    { $set: { at: new Date(deletedAt - PURGE_DELETED_AFTER_MS - 60_000).toISOString() } },
  );

  expect((await trimStore(db, deletedAt)).sessions_purged).toBe(1);
  const c = collections(db);
  const left = async (id: string) => ({
    session: await c.sessions.countDocuments({ _id: id }),
    messages: await c.messages.countDocuments({ session_id: id }),
    nodes: await c.nodes.countDocuments({ session_id: id }),
    positions: await c.nodePositions.countDocuments({ session_id: id }),
    events: (await readEvents(db, chatStream(id), 0)).length + (await readEvents(db, executionStream(id), 0)).length,
  });
  expect(await left('s-old')).toEqual({ session: 0, messages: 0, nodes: 0, positions: 0, events: 0 });
  expect(await c.sessionDeletions.countDocuments({ _id: 's-old' })).toBe(1); // stays deleted
  const kept = { session: 1, messages: 3, nodes: 1, positions: 1, events: 2 };
  expect(await left('s-recent')).toEqual(kept);
  expect(await left('s-live')).toEqual(kept);
  expect((await trimStore(db, deletedAt)).sessions_purged).toBe(0);
});

test('superseded position records are trimmed to the newest of each node, and reads answer the same', async () => {
  await createSession(db, 's-moves', 'moves');
  await collections(db).nodes.insertOne({ _id: 'moves:n', id: 'moves:n', session_id: 's-moves' } as never);
  // Saved before one record per node: a record per move, random ids.
  await collections(db).nodePositions.insertMany(
    [1, 2, 3].map((n) => ({
      _id: `legacy-${n}`,
      session_id: 's-moves',
      node_id: 'moves:n',
      x: n,
      y: n,
      saved_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    })),
  );
  const before = (await getGraphParts(db, 's-moves')).nodes[0].position;
  expect(before).toEqual({ x: 3, y: 3 });

  expect((await trimStore(db)).positions_trimmed).toBe(2);
  expect(await collections(db).nodePositions.find({ node_id: 'moves:n' }).toArray()).toHaveLength(1);
  expect((await getGraphParts(db, 's-moves')).nodes[0].position).toEqual(before);
  expect((await trimStore(db)).positions_trimmed).toBe(0);
});
