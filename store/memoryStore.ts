import type { Db } from 'mongodb';
import { collections, MemoryDoc } from './collections';

export type MemoryEntry = Pick<MemoryDoc, 'key' | 'value' | 'created_at'>;

/** Remembering the same key again replaces the value: the newest fact wins. */
export async function rememberFact(db: Db, sessionId: string, key: string, value: string): Promise<void> {
  await collections(db).memories.updateOne(
    { _id: `${sessionId}#${key}` },
    { $set: { session_id: sessionId, key, value, created_at: new Date().toISOString() } },
    { upsert: true },
  );
}

export async function sessionFacts(db: Db, sessionId: string): Promise<MemoryEntry[]> {
  const docs = await collections(db).memories.find({ session_id: sessionId }).sort({ created_at: 1 }).limit(1000).toArray();
  return docs.map(({ key, value, created_at }) => ({ key, value, created_at }));
}
