import { Db, MongoClient } from 'mongodb';
import { collections } from '../../store/collections';
import { prepareDatabase } from '../../store/prepareDatabase';
import { createSession, listSessions, sessionCursor } from '../../store/sessionStore';
import { uniqueDbName } from '../../harness/servers';

/** The session list in pages: a cap per page and a cursor that walks the whole list once, in its order. */
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
  db = client.db(uniqueDbName('session_pages'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

test('pages of 2 walk every session once, newest activity first and ties by id', async () => {
  for (const id of ['s-a', 's-b', 's-c', 's-d', 's-e']) await createSession(db, id, id);
  // Two sessions share an updated_at: the tie is broken by id.
  await collections(db).sessions.updateMany(
    { _id: { $in: ['s-b', 's-d'] } },
    { $set: { updated_at: '2030-01-01T00:00:00.000Z' } },
  );
  const whole = await listSessions(db);
  expect(whole.slice(0, 2).map((s) => s.id)).toEqual(['s-b', 's-d']);

  const paged: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listSessions(db, { limit: 2, after });
    expect(page.length).toBeLessThanOrEqual(2);
    if (page.length === 0) break;
    paged.push(...page.map((s) => s.id));
    after = sessionCursor(page[page.length - 1]);
  }
  expect(paged).toEqual(whole.map((s) => s.id));
  expect(new Set(paged).size).toBe(5);
});
