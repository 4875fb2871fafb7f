import type { Db } from 'mongodb';
import type { StoredEvent } from '../../domain/events';
import { readEvents } from '../../store/eventLog';
import { SIGNALS_COLLECTION, SignalDoc } from '../../store/eventSignals';

/** Safety net: even if a wake-up is lost, a subscriber re-reads its stream this often. */
const SAFETY_POLL_MS = 1000;
const RETAIL_DELAY_MS = 200;

type Waker = () => void;

export interface EventFeed {
  /** Every stored event of `stream` with seq > afterSeq, in order, then live ones, until `signal` aborts. */
  subscribe(stream: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent>;
  close(): Promise<void>;
}

/**
 * Delivers stored events to subscribers. Wake-ups come from tailing the capped
 * `event_signals` collection (written by any process after it stores an event);
 * the events themselves are always read from the event log, by sequence number,
 * so a subscriber gets every event exactly once, whatever happens to wake-ups.
 */
export function createEventFeed(db: Db): EventFeed {
  const wakers = new Map<string, Set<Waker>>();
  let closed = false;
  let cursor: { close(): Promise<void> } | null = null;

  const wake = (stream: string) => wakers.get(stream)?.forEach((w) => w());

  async function tailSignals() {
    const signals = db.collection<SignalDoc>(SIGNALS_COLLECTION);
    while (!closed) {
      try {
        const newest = await signals.find({}).sort({ $natural: -1 }).limit(1).next();
        const tail = signals.find(
          newest ? { _id: { $gt: newest._id } } : {},
          // batchSize 0: FerretDB closes a tailable cursor whose first batch is short.
          { tailable: true, awaitData: true, batchSize: 0, maxAwaitTimeMS: 500 });
        cursor = tail;
        for await (const doc of tail) {
          if (closed) break;
          wake(doc.stream);
        }
      } catch {
        // The tail broke (server restart, capped roll-over): subscribers keep polling; re-tail shortly.
      }
      if (!closed) await new Promise((r) => setTimeout(r, RETAIL_DELAY_MS));
    }
  }
  void tailSignals();

  async function* subscribe(stream: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
    let last = afterSeq;
    let dirty = true;
    let release: (() => void) | null = null;
    const waker: Waker = () => { dirty = true; release?.(); };
    const onAbort = () => release?.();
    signal?.addEventListener('abort', onAbort);
    if (!wakers.has(stream)) wakers.set(stream, new Set());
    wakers.get(stream)!.add(waker);
    try {
      while (!closed && !signal?.aborted) {
        if (!dirty) {
          await new Promise<void>((resolve) => {
            release = resolve;
            setTimeout(resolve, SAFETY_POLL_MS);
          });
          release = null;
        }
        dirty = false;
        const batch = await readEvents(db, stream, last);
        for (const event of batch) {
          last = event.seq;
          yield event;
        }
        if (batch.length === 500) dirty = true; // more waiting: read on without sleeping
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      wakers.get(stream)?.delete(waker);
      if (wakers.get(stream)?.size === 0) wakers.delete(stream);
    }
  }

  return {
    subscribe,
    async close() {
      closed = true;
      wakers.forEach((set) => set.forEach((w) => w()));
      await cursor?.close().catch(() => undefined);
    },
  };
}
