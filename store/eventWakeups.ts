import type { ChangeStreamInsertDocument, Db } from 'mongodb';
import { collections, EventDoc, EventTickDoc, insertInOrder, insertOnce } from './collections';
import { gapFreeRun, headOf } from './gallop';

/**
 * How a reading process learns that events were stored (by any process), so it reads them.
 * Wake-ups are hints: events are always read from the log by sequence number, so a lost or
 * spurious wake-up delays or repeats a read, never loses or duplicates an event.
 *
 * - MongoDB (a replica set): a change stream on `events`.
 * - FerretDB (no change streams): appends also write ticks, `_id` = a global counter, each
 *   naming the streams that got events. Ticks are documents of `events` (numeric `_id`s, which no
 *   event's `stream#seq` matches), so a batch's tick goes in the batch's own ordered insert, as its
 *   last document (`insertWithTick`): no command of its own. A process writes one tick at a time,
 *   numbered one past a tick known to exist, so the ticks are gap-free. A batch carries its tick
 *   when the process's head is fresh and no tick of its is being written; otherwise, or when the
 *   insert stops at the tick (another process took the number), the tick is written on its own
 *   behind the append (`recordEventWakeup`), folding in the streams appended while it writes, so
 *   there is at most one tick per stored batch of appends (store/eventLog.ts commits a process's
 *   concurrent appends as one batch). Each names the newest seq of each stream, so a reader reads
 *   just that far. Each reading process asks for the next TICK_WINDOW ticks in one query per poll
 *   (an `$in` of `_id`s, which FerretDB serves from its index with tools/ferretdb/id-lookups.patch):
 *   the cost is per poll, not per tick, stream or subscriber.
 * - The tick log keeps the newest TICKS_KEPT ticks (and at most TRIM_EVERY more): the writer
 *   of every TRIM_EVERY-th tick trims below that, by `$in`s of their `_id`s (a range of `_id`s
 *   would scan all of `events` on FerretDB). The floor record (`_id` 'tick-floor') says up to where
 *   ticks may be gone; every head search starts from it. A writer idle for WRITER_HEAD_TTL_MS
 *   checks its head again before writing, and a reader finding nothing new checks the floor
 *   every FLOOR_CHECK_MS, so neither keeps counting below the floor (where it would wake nobody).
 * - Upgrade: processes from before kept ticks in `event_ticks`, which nothing reads now (it stays,
 *   at most ~11,000 small documents; drop it once no older process runs). While older and newer
 *   processes run side by side each misses the other's wake-ups, so an event one stores reaches the
 *   other's readers by their safety re-read (api/events/eventFeed.ts, every 10 s) instead; a
 *   reader re-reads every stream when it starts, so nothing stored before is missed.
 */
export interface EventWakeups {
  close(): Promise<void>;
}

/** Streams that got events, each with the newest seq the wake-up knows of (null: unknown, read until the end). */
export type WokenStreams = Map<string, number | null>;

export interface WakeupHandlers {
  /** Events were stored in these streams, up to at least these seqs. */
  streams(woken: WokenStreams): void;
  /** Wake-ups may have been missed (the source has just started listening): re-read every stream. */
  all(): void;
}

const POLL_BUSY_MS = 20;
const POLL_QUIET_MS = 100;
const POLL_IDLE_MS = 250;
const BUSY_FOR_MS = 3_000;
const QUIET_FOR_MS = 30_000;
/** Ticks asked for per poll (one `$in` of `_id`s: index lookups, a missing one costs about nothing). */
const TICK_WINDOW = 32;
const RESTART_DELAY_MS = 1_000;
export const TICKS_KEPT = 10_000;
const TRIM_EVERY = 1_000;
const WRITER_HEAD_TTL_MS = 10_000;
const FLOOR_CHECK_MS = 30_000;
const FLOOR_ID = 'tick-floor';
/** Ids per delete when trimming (FerretDB serves an `$in` of up to 1,000 `_id`s from the index). */
const TRIM_BATCH = 1_000;

function pollDelay(msSinceLastTick: number): number {
  if (msSinceLastTick < BUSY_FOR_MS) return POLL_BUSY_MS;
  return msSinceLastTick < QUIET_FOR_MS ? POLL_QUIET_MS : POLL_IDLE_MS;
}

const changeStreamSupport = new WeakMap<Db, Promise<boolean>>();

/** Change streams need a replica set (or a sharded cluster); FerretDB v1 and a standalone mongod have none. */
export function supportsChangeStreams(db: Db): Promise<boolean> {
  let known = changeStreamSupport.get(db);
  if (!known) {
    known = db
      .admin()
      .command({ hello: 1 })
      .then((hello) => typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
    known.catch(() => changeStreamSupport.delete(db)); // ask again next time
    changeStreamSupport.set(db, known);
  }
  return known;
}

const tickExists = (db: Db) => async (n: number) =>
  n <= 0 || (await collections(db).eventTicks.findOne({ _id: n }, { projection: { _id: 1 } })) !== null;

/** Every tick up to the floor may have been trimmed (0: none was). */
async function tickFloor(db: Db): Promise<number> {
  return (await collections(db).tickFloor.findOne({ _id: FLOOR_ID }, { projection: { floor: 1 } }))?.floor ?? 0;
}

/** The highest tick, searched from `known` (a tick known to exist) or from the floor, whichever is higher. */
const tickHead = async (db: Db, known = 0): Promise<number> => headOf(tickExists(db), Math.max(known, await tickFloor(db)));

/** Trims the ticks up to `floor`: raises the floor record first, so no head search starts among deleted ticks. */
export async function trimTicks(db: Db, floor: number): Promise<void> {
  const below = await tickFloor(db); // trimmed before
  await collections(db).tickFloor.updateOne(
    { _id: FLOOR_ID },
    { $max: { floor }, $setOnInsert: { key: FLOOR_ID } },
    { upsert: true },
  );
  for (let from = below + 1; from <= floor; from += TRIM_BATCH) {
    const ids = Array.from({ length: Math.min(TRIM_BATCH, floor - from + 1) }, (_, i) => from + i);
    await collections(db).eventTicks.deleteMany({ _id: { $in: ids } });
  }
}

interface TickWriter {
  /** The highest tick known to exist (null: find it). */
  head: number | null;
  /** When `head` was last confirmed. */
  headAt: number;
  /** Streams appended to since the last tick was written, with the newest seq stored in each. */
  pending: Map<string, number>;
  writing: boolean;
}
const tickWriters = new WeakMap<Db, TickWriter>();
function tickWriter(db: Db): TickWriter {
  let writer = tickWriters.get(db);
  if (!writer) {
    writer = { head: null, headAt: 0, pending: new Map(), writing: false };
    tickWriters.set(db, writer);
  }
  return writer;
}

const tickDoc = (n: number, streams: string[], heads: number[]): EventTickDoc => ({ _id: n, key: `tick#${n}`, streams, heads });

/** Records that tick `n` was written: the writer's head, and the trim every TRIM_EVERY-th tick owes. */
function wroteTick(db: Db, writer: TickWriter, n: number) {
  writer.head = n;
  writer.headAt = Date.now();
  if (n % TRIM_EVERY === 0 && n > TICKS_KEPT) void trimTicks(db, n - TICKS_KEPT).catch(() => undefined);
}

/**
 * Stores a batch of events by one ordered insert, in order, up to the first one refused (a
 * duplicate); returns how many went in, and whether their tick went in too, as the insert's last
 * document. It carries the tick when this process knows a fresh tick head and writes no tick now;
 * when it does not, the caller wakes readers by `recordEventWakeup`.
 */
export async function insertWithTick(db: Db, docs: EventDoc[]): Promise<{ inserted: number; ticked: boolean }> {
  const changeStreams = await supportsChangeStreams(db);
  const writer = tickWriter(db);
  if (changeStreams || writer.writing || writer.head === null || Date.now() - writer.headAt > WRITER_HEAD_TTL_MS)
    return { inserted: await insertInOrder(collections(db).events, docs), ticked: false };
  const heads = new Map<string, number>();
  for (const { stream, seq } of docs) heads.set(stream, Math.max(seq, heads.get(stream) ?? 0));
  const n = writer.head + 1;
  writer.writing = true; // no tick of this process's is numbered meanwhile
  try {
    const inserted = await insertInOrder(collections(db).eventsWithTicks, [
      ...docs,
      tickDoc(n, [...heads.keys()], [...heads.values()]),
    ]);
    if (inserted > docs.length) wroteTick(db, writer, n);
    else if (inserted === docs.length) writer.head = n; // refused at the tick: another process wrote tick n
    return { inserted: Math.min(inserted, docs.length), ticked: inserted > docs.length };
  } finally {
    writer.writing = false;
    if (writer.pending.size > 0) void writeTicks(db, writer);
  }
}

/**
 * Says that streams have new events up to the given seqs, where no change stream will. Returns
 * at once: the tick is written behind the append (a tick lost with its process delays delivery
 * until the readers' next safety re-read; it loses nothing).
 */
export function recordEventWakeup(db: Db, heads: Map<string, number>): void {
  const writer = tickWriter(db);
  for (const [stream, seq] of heads) writer.pending.set(stream, Math.max(seq, writer.pending.get(stream) ?? 0));
  if (!writer.writing) void writeTicks(db, writer);
}

async function writeTicks(db: Db, writer: TickWriter) {
  writer.writing = true;
  try {
    if (await supportsChangeStreams(db)) return writer.pending.clear();
    const exists = tickExists(db);
    while (writer.pending.size > 0) {
      const streams = [...writer.pending.keys()];
      const heads = [...writer.pending.values()];
      writer.pending.clear();
      if (writer.head === null || Date.now() - writer.headAt > WRITER_HEAD_TTL_MS) {
        writer.head = await tickHead(db, writer.head ?? 0);
      }
      for (;;) {
        const n = writer.head + 1;
        if (await insertOnce(collections(db).eventTicks, tickDoc(n, streams, heads))) {
          wroteTick(db, writer, n);
          break;
        }
        writer.head = await headOf(exists, n); // another process took it: continue from the head
      }
    }
  } catch {
    writer.head = null; // the database failed: find the head again next time
  } finally {
    writer.writing = false;
  }
}

/** Starts delivering wake-ups to `on`; `on.all()` is called once the source is listening. */
export async function watchEventWakeups(db: Db, on: WakeupHandlers): Promise<EventWakeups> {
  return (await supportsChangeStreams(db)) ? watchChangeStream(db, on) : walkTicks(db, on);
}

function watchChangeStream(db: Db, on: WakeupHandlers): EventWakeups {
  let closed = false;
  let current: { close(): Promise<void> } | null = null;
  const run = async () => {
    while (!closed) {
      const changes = collections(db).events.watch<EventDoc, ChangeStreamInsertDocument<EventDoc>>([
        // Events only: a tick (a numeric `_id`, written only where there are no change streams) wakes no one here.
        { $match: { operationType: 'insert', 'fullDocument._id': { $type: 'string' } } },
        { $project: { 'fullDocument.stream': 1, 'fullDocument.seq': 1 } },
      ]);
      current = changes;
      try {
        await changes.tryNext(); // the stream is open from here on: re-read whatever came before
        on.all();
        for (;;) {
          const { stream, seq } = (await changes.next()).fullDocument;
          on.streams(new Map([[stream, seq]]));
        }
      } catch {
        // Closed, or the server went away: re-open (and re-read everything) shortly.
      } finally {
        await changes.close().catch(() => undefined);
      }
      if (!closed) await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
    }
  };
  void run();
  return {
    async close() {
      closed = true;
      await current?.close().catch(() => undefined);
    },
  };
}

/** The streams the ticks name, each with the newest seq they give it. */
function wokenBy(ticks: EventTickDoc[]): WokenStreams {
  const woken = new Map<string, number>();
  for (const { streams, heads } of ticks)
    streams.forEach((stream, i) => woken.set(stream, Math.max(heads[i], woken.get(stream) ?? 0)));
  return woken;
}

async function walkTicks(db: Db, on: WakeupHandlers): Promise<EventWakeups> {
  const { eventTicks } = collections(db);
  let head = await tickHead(db);
  let floorCheckedAt = Date.now();
  let closed = false;
  let lastTickAt = 0;
  let stopSleeping: (() => void) | null = null;
  on.all();

  const run = async () => {
    while (!closed) {
      try {
        // The next TICK_WINDOW ticks in one query; ticks are gap-free, so the first missing one ends the run.
        const ids = Array.from({ length: TICK_WINDOW }, (_, i) => head + 1 + i);
        const found = await eventTicks.find({ _id: { $in: ids } }).toArray();
        const arrived = gapFreeRun(ids, new Map(found.map((tick) => [tick._id, tick])));
        if (arrived.length > 0) {
          head += arrived.length;
          lastTickAt = Date.now();
          on.streams(wokenBy(arrived));
        }
        if (arrived.length === TICK_WINDOW) continue; // a backlog: more may be waiting, read on at once
        if (arrived.length === 0 && Date.now() - floorCheckedAt > FLOOR_CHECK_MS) {
          floorCheckedAt = Date.now();
          if ((await tickFloor(db)) > head) {
            head = await tickHead(db, head); // this reader fell below the trimmed ticks: skip them, re-read everything
            on.all();
          }
        }
      } catch {
        // The database is unreachable for now: keep trying at the polling pace.
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollDelay(Date.now() - lastTickAt));
        stopSleeping = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      stopSleeping = null;
    }
  };
  void run();
  return {
    close() {
      closed = true;
      stopSleeping?.();
      return Promise.resolve();
    },
  };
}
