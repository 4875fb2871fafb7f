import { Db, MongoClient } from 'mongodb';
import { uniqueDbName } from '../../harness/servers';
import { prepareDatabase } from '../../store/prepareDatabase';

export interface TestDatabase {
  client: MongoClient;
  /** Prepared (indexes, migrations) as the API and worker prepare theirs. */
  db: Db;
}

/**
 * A database of its own on the test servers for one test file: connected and prepared before its
 * tests, the connection closed after. Read its fields inside tests and hooks (they are set in beforeAll).
 */
export function useTestDatabase(prefix: string): TestDatabase {
  const ready = {} as TestDatabase;
  beforeAll(async () => {
    ready.client = await MongoClient.connect(process.env.MONGODB_URL!);
    ready.db = ready.client.db(uniqueDbName(prefix));
    await prepareDatabase(ready.db);
  });
  afterAll(async () => {
    await ready.client?.close();
  });
  return ready;
}
