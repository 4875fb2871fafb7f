import type { Db } from 'mongodb';
import type { StoredEvent } from '../../domain/events';
import { readEvents } from '../../store/eventLog';

/**
 * How often a subscriber looks for the next event: often while its stream is busy,
 * less often as it goes quiet. Each look is one lookup by id (see store/eventLog.ts),
 * the only query that stays cheap on FerretDB v1, whose tailable cursors re-scan the
 * whole capped collection every 10 ms; so no change stream or tail is needed, on
 * MongoDB or FerretDB, and events written by any process are seen.
 */
const POLL_BUSY_MS = 20;
const POLL_QUIET_MS = 100;
const POLL_IDLE_MS = 250;
const BUSY_FOR_MS = 3_000;
const QUIET_FOR_MS = 30_000;

export interface EventFeed {
  /** Every stored event of `stream` with seq > afterSeq, in order, then live ones, until `signal` aborts. */
  subscribe(stream: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent>;
  /** Events delivered to at least one subscriber per second, over the last minute. */
  eventsPerSecond(): number;
  close(): Promise<void>;
}

export function pollDelay(msSinceLastEvent: number): number {
  if (msSinceLastEvent < BUSY_FOR_MS) return POLL_BUSY_MS;
  return msSinceLastEvent < QUIET_FOR_MS ? POLL_QUIET_MS : POLL_IDLE_MS;
}

export function createEventFeed(db: Db): EventFeed {
  let closed = false;
  const wakeOnClose = new Set<() => void>();
  /** Newest seq seen per stream, and when events were seen, for the events/s figure. */
  const seen = new Map<string, number>();
  const deliveries: number[] = [];

  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); wakeOnClose.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      wakeOnClose.add(done);
    });

  function count(event: StoredEvent) {
    if ((seen.get(event.stream) ?? 0) >= event.seq) return;
    seen.set(event.stream, event.seq);
    deliveries.push(Date.now());
    if (deliveries.length > 100_000) deliveries.splice(0, deliveries.length - 100_000);
  }

  async function* subscribe(stream: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
    let last = afterSeq;
    let lastEventAt = Date.now();
    while (!closed && !signal?.aborted) {
      const batch = await readEvents(db, stream, last);
      for (const event of batch) {
        last = event.seq;
        count(event);
        yield event;
      }
      if (batch.length > 0) lastEventAt = Date.now();
      else await sleep(pollDelay(Date.now() - lastEventAt), signal);
    }
  }

  return {
    subscribe,
    eventsPerSecond() {
      const since = Date.now() - 60_000;
      return deliveries.filter((t) => t >= since).length / 60;
    },
    async close() {
      closed = true;
      wakeOnClose.forEach((wake) => wake());
    },
  };
}
