import type { Db } from 'mongodb';
import type { StoredEvent } from '../domain/events';
import { collections, EventDoc, isDuplicateKeyError } from './collections';
import { signalStreamChanged } from './eventSignals';

const MAX_APPEND_ATTEMPTS = 100;

function toStored(doc: EventDoc): StoredEvent {
  return { v: doc.v, stream: doc.stream, seq: doc.seq, key: doc.key, data: doc.data, created_at: doc.created_at };
}

/**
 * Stores an event with the next sequence number of its stream, then signals it.
 * Idempotent by `key`: emitting the same key twice stores and signals one event.
 * The sequence is taken by the insert itself (`_id` = stream#seq is unique), so no
 * number is ever burnt and a stream has no gaps: readers can trust contiguity.
 */
export async function appendEvent<D>(db: Db, stream: string, key: string, data: D): Promise<StoredEvent<D>> {
  const { events } = collections(db);
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    const existing = await events.findOne({ key });
    if (existing) return toStored(existing) as StoredEvent<D>;
    const last = await events.find({ stream }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).next();
    const seq = (last?.seq ?? 0) + 1;
    const doc: EventDoc = { _id: `${stream}#${seq}`, v: 1, stream, seq, key, data, created_at: new Date().toISOString() };
    try {
      await events.insertOne(doc);
    } catch (err) {
      if (isDuplicateKeyError(err)) continue; // another writer took this seq, or stored this key: look again
      throw err;
    }
    await signalStreamChanged(db, stream, seq);
    return toStored(doc) as StoredEvent<D>;
  }
  throw new Error(`Could not append event ${key} to ${stream}: too much contention`);
}

export async function readEvents(db: Db, stream: string, afterSeq: number, limit = 500): Promise<StoredEvent[]> {
  const docs = await collections(db).events.find({ stream, seq: { $gt: afterSeq } }).sort({ seq: 1 }).limit(limit).toArray();
  return docs.map(toStored);
}

export async function lastSeq(db: Db, stream: string): Promise<number> {
  const last = await collections(db).events.find({ stream }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).next();
  return last?.seq ?? 0;
}
