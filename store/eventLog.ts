import type { Db } from 'mongodb';
import type { StoredEvent } from '../domain/events';
import { collections, EventDoc, insertOnce } from './collections';
import { decodeFromStore } from './documentCodec';
import { insertWithTick, recordEventWakeup } from './eventWakeups';
import { gapFreeRun, headOf } from './gallop';
import { groupCalls, type Grouped } from './groupCalls';

/**
 * The event log. Every query here is a lookup by `_id` (one, or several in an `$in`), the one
 * access path that is an index lookup on both MongoDB and the embedded FerretDB (which scans
 * the whole collection for anything else; tools/ferretdb/idindex.go gives its SQLite backend its
 * `_id` index, id-lookups.patch makes it serve `$in` of `_id`s from that index).
 *
 * - An event's `_id` is `stream#seq`. A sequence number is taken only by a successful
 *   insert and events are never deleted, so every stream is gap-free: readers ask for
 *   the next seqs' ids in one query, and the head is found by galloping search.
 * - Idempotency: `key` is unique (an index), so re-emitting a key (a retried activity) stores
 *   nothing new. One insert per event: a refused insert is told apart by looking up the seq it
 *   tried (taken by another event: try the next; free: the key is what was taken).
 * - Several events (of one stream or several) go in one ordered insert, each stream's with
 *   consecutive seqs; from the first one refused, that stream's go one at a time as above and
 *   the other streams' in one insert again.
 * - Group commit (store/groupCalls.ts): a process's appends made together, or while one is being
 *   stored, go in one insert, so concurrent turns share inserts and wake-ups; its reads made
 *   together (the streams one wake-up names) share one query the same way.
 * - Readers are woken through store/eventWakeups.ts, with the newest seq stored in each stream, so
 *   a woken reader reads just up to it: on FerretDB a batch's insert carries its wake-up tick when
 *   it can (`insertWithTick`); whatever no stored tick covers is told once per batch after it.
 * - What an activity emits may wait for its next append before it gets here (store/emit.ts).
 */
const MAX_BATCH = 500;
/** Seqs read in one query. */
const READ_AHEAD = 32;
/** Streams probed in one query. */
const PROBE_BATCH = 500;
/** Ids asked for in one read query (reads of several streams made together share one). */
const READ_IDS = 512;
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

/** Per database (a process may use several): this process's appends, and its reads of runs of seqs, each grouped. */
const groupedByDb = new WeakMap<Db, { append: Grouped<EventToAppend[], void>; readRun: Grouped<SeqRun, StoredEvent[]> }>();
function grouped(db: Db) {
  let calls = groupedByDb.get(db);
  if (!calls) {
    calls = {
      append: groupCalls(async (appends) => {
        await storeBatch(db, appends.flat());
        return appends.map(() => undefined);
      }),
      readRun: groupCalls((runs) => readRuns(db, runs)),
    };
    groupedByDb.set(db, calls);
  }
  return calls;
}

/**
 * Stores events, each stream's in the given order; an event whose key was stored before is not
 * stored again. Appends made together, or while another is being stored, go in one insert
 * (store/groupCalls.ts) with one wake-up.
 */
export function appendEvents(db: Db, events: EventToAppend[]): Promise<void> {
  return events.length === 0 ? Promise.resolve() : grouped(db).append(events);
}

/** Each event's document, numbered on from where this process believes its stream's head is. */
async function numbered(db: Db, events: EventToAppend[]): Promise<EventDoc[]> {
  const streams = [...new Set(events.map((e) => e.stream))];
  const heads = await Promise.all(streams.map((stream) => believedHead(db, stream)));
  const next = new Map(streams.map((stream, i) => [stream, heads[i]])); // per stream: the seq taken last
  const created_at = new Date().toISOString();
  return events.map(({ stream, key, data }): EventDoc => {
    const seq = next.get(stream)! + 1;
    next.set(stream, seq);
    return { _id: eventId(stream, seq), v: 1, stream, seq, key, data, created_at };
  });
}

/**
 * One ordered insert for all of `events` when nothing races. From an event refused, its stream
 * goes on one event at a time, and the other streams' rest in one ordered insert again: a
 * conflict in one stream (a re-emitted key, another process's append) costs the others one insert.
 */
async function storeBatch(db: Db, events: EventToAppend[]): Promise<void> {
  const woken = new Map<string, number>(); // stream → the newest seq stored in it here that no stored tick covers
  for (let rest = events; rest.length > 0;) {
    const docs = await numbered(db, rest);
    const { inserted, ticked } = await insertWithTick(db, docs);
    for (const doc of docs.slice(0, inserted)) {
      noteHead(db, doc.stream, doc.seq);
      if (!ticked) woken.set(doc.stream, doc.seq);
    }
    const refused = rest[inserted]?.stream;
    for (const event of rest.slice(inserted).filter((e) => e.stream === refused)) {
      const seq = await appendOne(db, event);
      if (seq !== null) woken.set(event.stream, seq);
    }
    rest = rest.slice(inserted).filter((e) => e.stream !== refused);
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

/** Consecutive ascending seqs of one stream, to read. */
interface SeqRun {
  stream: string;
  seqs: number[];
}

/**
 * The stored events of each run, up to its first missing seq, in one query per READ_IDS ids: an
 * `$in` of their `_id`s, which MongoDB and the embedded FerretDB (tools/ferretdb/id-lookups.patch)
 * serve as index lookups. Reads of several streams made together (every stream a wake-up names)
 * come here as one call.
 */
async function readRuns(db: Db, runs: SeqRun[]): Promise<StoredEvent[][]> {
  const ids = runs.flatMap(({ stream, seqs }) => seqs.map((seq) => eventId(stream, seq)));
  const found = new Map<string, EventDoc>();
  for (let i = 0; i < ids.length; i += READ_IDS) {
    const docs = await collections(db)
      .events.find({ _id: { $in: ids.slice(i, i + READ_IDS) } })
      .toArray();
    for (const doc of docs) found.set(doc._id, doc);
  }
  return runs.map(({ stream, seqs }) =>
    gapFreeRun(
      seqs.map((seq) => eventId(stream, seq)),
      found,
    ).map(toStored),
  );
}

/**
 * The events after `afterSeq`, in order (at most `limit`), READ_AHEAD seqs per query, up to the
 * first missing seq. Given `upToSeq` (a seq known to be stored: a wake-up's head), it does not
 * look past it.
 */
export async function readEvents(
  db: Db,
  stream: string,
  afterSeq: number,
  limit = MAX_BATCH,
  upToSeq?: number,
): Promise<StoredEvent[]> {
  const last = afterSeq + (upToSeq === undefined ? limit : Math.min(limit, upToSeq - afterSeq));
  const found: StoredEvent[] = [];
  for (let from = afterSeq + 1; from <= last; from += READ_AHEAD) {
    const seqs = Array.from({ length: Math.min(READ_AHEAD, last - from + 1) }, (_, i) => from + i);
    const run = await grouped(db).readRun({ stream, seqs });
    found.push(...run);
    if (run.length < seqs.length) break;
  }
  return found;
}

/**
 * Of `positions` (stream → the seq read up to), the streams with an event after it: one query
 * per PROBE_BATCH streams (an `$in` of each one's next `_id`), however many streams are idle.
 */
export async function streamsWithEventsAfter(db: Db, positions: Map<string, number>): Promise<string[]> {
  const ids = [...positions].map(([stream, seq]) => eventId(stream, seq + 1));
  const found: string[] = [];
  for (let i = 0; i < ids.length; i += PROBE_BATCH) {
    const docs = await collections(db)
      .events.find({ _id: { $in: ids.slice(i, i + PROBE_BATCH) } }, { projection: { stream: 1 } })
      .toArray();
    found.push(...docs.map((doc) => doc.stream));
  }
  return found;
}
