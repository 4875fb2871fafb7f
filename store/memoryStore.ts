import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { collections, MemoryDoc } from './collections';
import { decodeFields, encodeFields } from './documentCodec';

export type MemoryEntry = Pick<MemoryDoc, 'key' | 'value' | 'created_at'>;

/** Facts read per session; a key remembered more often than this counts once per record. */
const MAX_RECORDS = 1000;

/**
 * Remembering the same key again replaces the value: the newest fact wins. Each fact is its
 * own immutable record (concurrent turns of one session may remember at once; an upsert of
 * one document per key would be a racing read-modify-write on FerretDB v1).
 */
export async function rememberFact(db: Db, sessionId: string, key: string, value: string): Promise<void> {
  await collections(db).memories.insertOne(
    encodeFields({
      _id: `${sessionId}#${key}#${randomUUID()}`,
      session_id: sessionId,
      key,
      value,
      created_at: new Date().toISOString(),
    }),
  );
}

/** The newest value of each key, oldest first. */
export async function sessionFacts(db: Db, sessionId: string): Promise<MemoryEntry[]> {
  const docs = await collections(db)
    .memories.find({ session_id: sessionId })
    .sort({ created_at: -1 })
    .limit(MAX_RECORDS)
    .toArray();
  const newest = new Map<string, MemoryEntry>();
  for (const { key, value, created_at } of docs.map(decodeFields))
    if (!newest.has(key)) newest.set(key, { key, value, created_at });
  return [...newest.values()].reverse();
}
