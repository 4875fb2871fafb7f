import type { Db } from 'mongodb';
import type { StoredEvent } from '../domain/events';
import { collections, EventDoc, insertOnce } from './collections';

/**
 * The event log. Every query here is a lookup by `_id`, the one access path that is an index
 * lookup on both MongoDB and the embedded FerretDB (whose SQLite backend decodes and scans the
 * whole collection for anything else; tools/ferretdb/idindex.go gives it its `_id` index).
 *
 * - An event's `_id` is `stream#seq`. A sequence number is taken only by a successful
 *   insert and events are never deleted, so every stream is gap-free: readers walk it
 *   forward one id at a time, and the head is found by galloping search.
 * - Idempotency: `event_keys` maps each key to the seq it got, so re-emitting a key
 *   (a retried activity) stores nothing new.
 */
const MAX_BATCH = 500;
const eventId = (stream: string, seq: number) => `${stream}#${seq}`;

/** Last known head per stream in this process: a hint only, verified by the insert. */
const headHints = new Map<string, number>();

function toStored(doc: EventDoc): StoredEvent {
  return { v: doc.v, stream: doc.stream, seq: doc.seq, key: doc.key, data: doc.data, created_at: doc.created_at };
}

async function exists(db: Db, stream: string, seq: number): Promise<boolean> {
  if (seq <= 0) return true;
  return (await collections(db).events.findOne({ _id: eventId(stream, seq) }, { projection: { _id: 1 } })) !== null;
}

/** The highest seq of a stream, in O(log n) point lookups (0 for an empty stream). */
export async function lastSeq(db: Db, stream: string): Promise<number> {
  let low = 0; // known to exist (0 = before the first event)
  let high = 1;
  while (await exists(db, stream, high)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await exists(db, stream, mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** Stores an event with the next sequence number of its stream. Idempotent by `key`. */
export async function appendEvent<D>(db: Db, stream: string, key: string, data: D): Promise<StoredEvent<D>> {
  const { events, eventKeys } = collections(db);
  const claimed = await insertOnce(eventKeys, { _id: key, stream, seq: null });
  if (!claimed) {
    const previous = await eventKeys.findOne({ _id: key });
    if (previous?.seq != null) {
      const stored = await events.findOne({ _id: eventId(previous.stream, previous.seq) });
      if (stored) return toStored(stored) as StoredEvent<D>;
    }
    // An earlier attempt claimed the key but died before storing the event: store it now.
  }
  let seq = (headHints.get(stream) ?? (await lastSeq(db, stream))) + 1;
  const created_at = new Date().toISOString();
  for (;;) {
    const doc: EventDoc = { _id: eventId(stream, seq), v: 1, stream, seq, key, data, created_at };
    if (await insertOnce(events, doc)) break;
    seq++; // another writer holds this seq: take the next one
  }
  headHints.set(stream, seq);
  await eventKeys.updateOne({ _id: key }, { $set: { seq } });
  return { v: 1, stream, seq, key, data, created_at };
}

/** The events after `afterSeq`, in order, walking the stream by id (at most `limit`). */
export async function readEvents(db: Db, stream: string, afterSeq: number, limit = MAX_BATCH): Promise<StoredEvent[]> {
  const { events } = collections(db);
  const found: StoredEvent[] = [];
  for (let seq = afterSeq + 1; found.length < limit; seq++) {
    const doc = await events.findOne({ _id: eventId(stream, seq) });
    if (!doc) break;
    found.push(toStored(doc));
  }
  return found;
}
