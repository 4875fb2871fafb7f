import type { Db } from 'mongodb';

/**
 * Cross-process "something was stored" notifications: a capped collection that
 * readers tail. It carries pointers only (stream + seq); the events themselves
 * live in `events`. Works on MongoDB and FerretDB (no change streams needed).
 */
export const SIGNALS_COLLECTION = 'event_signals';

export interface SignalDoc {
  stream: string;
  seq: number;
  at: number;
}

export async function ensureSignalCollection(db: Db): Promise<void> {
  const exists = await db.listCollections({ name: SIGNALS_COLLECTION }, { nameOnly: true }).hasNext();
  if (exists) return;
  try {
    await db.createCollection(SIGNALS_COLLECTION, { capped: true, size: 4 * 1024 * 1024, max: 20000 });
  } catch (err) {
    // Another process created it between our check and our create.
    if ((err as { codeName?: string }).codeName !== 'NamespaceExists') throw err;
  }
}

export async function signalStreamChanged(db: Db, stream: string, seq: number): Promise<void> {
  await db.collection<SignalDoc>(SIGNALS_COLLECTION).insertOne({ stream, seq, at: Date.now() });
}
