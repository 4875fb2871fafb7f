import { Db, MongoClient } from 'mongodb';

export interface Mongo {
  client: MongoClient;
  db: Db;
}

/** Connects with the official driver; works against MongoDB and FerretDB alike. */
export async function connectMongo(url: string, dbName: string): Promise<Mongo> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, appName: 'evoscope' });
  await client.connect();
  return { client, db: client.db(dbName) };
}

export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}
