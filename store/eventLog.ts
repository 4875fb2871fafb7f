import type { Db } from 'mongodb';
import type { StoredEvent } from '../domain/events';
import { collections, EventDoc, insertInOrder, insertOnce } from './collections';
import { decodeFromStore } from './documentCodec';
import { recordEventWakeup } from './eventWakeups';
import { headOf } from './gallop';

/**
 * The event log. Every query here is a lookup by `_id`, the one access path that is an index
 * lookup on both MongoDB and the embedded FerretDB (whose SQLite backend decodes and scans the
 * whole collection for anything else; tools/ferretdb/idindex.go gives it its `_id` index).
 *
 * - An event's `_id` is `stream#seq`. A sequence number is taken only by a successful
 *   insert and events are never deleted, so every stream is gap-free: readers walk it
 *   forward one id at a time, and the head is found by galloping search.
 * - Idempotency: `key` is unique (an index), so re-emitting a key (a retried activity) stores
 *   nothing new. One insert per event: a refused insert is told apart by looking up the seq it
 *   tried (taken by another event: try the next; free: the key is what was taken).
 * - Several events (of one stream or several) go in one ordered insert, each stream's with
 *   consecutive seqs; from the first one refused, the rest go one at a time as above.
 * - Readers are woken through store/eventWakeups.ts (told here, once per append call, with the
 *   newest seq stored in each stream, so a woken reader reads just up to it).
 */
const MAX_BATCH = 500;
/** Known seqs read at once. */
const READ_AHEAD = 32;
const eventId = (stream: string, seq: number) => `${stream}#${seq}`;

/** Last known head per stream in this process, per database (a process may use several): a hint only, verified by the insert. */
const headHintsByDb = new Map<string, Map<string, number>>();
function headHints(db: Db): Map<string, number> {
  const known = headHintsByDb.get(db.databaseName);
  if (known) return known;
  const hints = new Map<string, number>();
  headHintsByDb.set(db.databaseName, hints);
  return hints;
}
const noteHead = (db: Db, stream: string, seq: number) =>
  headHints(db).set(stream, Math.max(seq, headHints(db).get(stream) ?? 0));

function toStored(doc: EventDoc): StoredEvent {
  return {
    v: doc.v,
    stream: doc.stream,
    seq: doc.seq,
    key: doc.key,
    data: decodeFromStore(doc.data),
    created_at: doc.created_at,
  };
}

async function exists(db: Db, stream: string, seq: number): Promise<boolean> {
  if (seq <= 0) return true;
  return (await collections(db).events.findOne({ _id: eventId(stream, seq) }, { projection: { _id: 1 } })) !== null;
}

/** The highest seq of a stream, in O(log n) point lookups (0 for an empty stream). */
export const lastSeq = (db: Db, stream: string): Promise<number> => headOf((seq) => exists(db, stream, seq), 0);

/** Where this process believes the stream's head is (its hint, else a lookup); the insert verifies it. */
const believedHead = async (db: Db, stream: string): Promise<number> => headHints(db).get(stream) ?? (await lastSeq(db, stream));

/** One event to store: its stream, its idempotency key, its data. */
export interface EventToAppend {
  stream: string;
  key: string;
  data: unknown;
}

/**
 * Stores events, each stream's in the given order: one ordered insert for them all when nothing
 * races (from the first one refused, the rest one at a time), and one wake-up. An event whose
 * key was stored before is not stored again.
 */
export async function appendEvents(db: Db, events: EventToAppend[]): Promise<void> {
  const next = new Map<string, number>(); // per stream: the seq its next event takes
  for (const { stream } of events) if (!next.has(stream)) next.set(stream, await believedHead(db, stream));
  const created_at = new Date().toISOString();
  const docs = events.map(({ stream, key, data }): EventDoc => {
    const seq = next.get(stream)! + 1;
    next.set(stream, seq);
    return { _id: eventId(stream, seq), v: 1, stream, seq, key, data, created_at };
  });
  const inserted = await insertInOrder(collections(db).events, docs);
  for (const doc of docs.slice(0, inserted)) noteHead(db, doc.stream, doc.seq);
  const woken = new Map<string, number>(); // stream → the newest seq stored in it here
  for (const doc of docs.slice(0, inserted)) woken.set(doc.stream, doc.seq);
  for (const event of events.slice(inserted)) {
    const seq = await appendOne(db, event);
    if (seq !== null) woken.set(event.stream, seq);
  }
  if (woken.size > 0) recordEventWakeup(db, woken);
}

/** Stores one event with the next seq of its stream; returns the seq, or null when its key was stored before. */
async function appendOne(db: Db, { stream, key, data }: EventToAppend): Promise<number | null> {
  const { events } = collections(db);
  let seq = (await believedHead(db, stream)) + 1;
  const created_at = new Date().toISOString();
  for (;;) {
    const doc: EventDoc = { _id: eventId(stream, seq), v: 1, stream, seq, key, data, created_at };
    if (await insertOnce(events, doc)) break;
    const holder = await events.findOne({ _id: doc._id }, { projection: { key: 1 } });
    if (holder === null) return null; // the seq is free: the insert was refused for its key
    if (holder.key === key) {
      noteHead(db, stream, seq);
      return null;
    }
    seq = (await headOf((n) => exists(db, stream, n), seq)) + 1; // other writers went ahead (another process): find the head
  }
  noteHead(db, stream, seq);
  return seq;
}

/**
 * The events after `afterSeq`, in order, walking the stream by id (at most `limit`). Given
 * `upToSeq` (a seq known to be stored: a wake-up's head), it reads just those, READ_AHEAD at a
 * time, and does not look past them; without it, one at a time until a seq is missing.
 */
export async function readEvents(
  db: Db,
  stream: string,
  afterSeq: number,
  limit = MAX_BATCH,
  upToSeq?: number,
): Promise<StoredEvent[]> {
  const { events } = collections(db);
  const read = (seq: number) => events.findOne({ _id: eventId(stream, seq) });
  const found: StoredEvent[] = [];
  if (upToSeq !== undefined) {
    const last = Math.min(upToSeq, afterSeq + limit);
    for (let from = afterSeq + 1; from <= last; from += READ_AHEAD) {
      const seqs = Array.from({ length: Math.min(READ_AHEAD, last - from + 1) }, (_, i) => from + i);
      for (const doc of await Promise.all(seqs.map(read))) {
        if (!doc) return found; // stops at a missing seq, as the walk below does
        found.push(toStored(doc));
      }
    }
    return found;
  }
  for (let seq = afterSeq + 1; found.length < limit; seq++) {
    const doc = await read(seq);
    if (!doc) break;
    found.push(toStored(doc));
  }
  return found;
}
