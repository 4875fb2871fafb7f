import type { Db } from 'mongodb';
import type { StoredEvent } from '../../domain/events';
import { readEvents, streamsWithEventsAfter } from '../../store/eventLog';
import { EventWakeups, watchEventWakeups } from '../../store/eventWakeups';
import { createStreamFanout } from './streamFanout';
import { observePushLag, openSubscription } from '../metrics/feedMetrics';

/** However wake-ups fare, every stream with subscribers is checked this often (a lost wake-up costs at most this delay). */
const SAFETY_READ_MS = 10_000;

export interface EventFeed {
  /** Every stored event of `stream` with seq > afterSeq, in order, then live ones, until `signal` aborts. */
  subscribe(stream: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent>;
  /** Events delivered to at least one subscriber per second, over the last minute. */
  eventsPerSecond(): number;
  close(): Promise<void>;
}

/** The subscription's events, counted as an open subscription until it ends. */
async function* counted(stream: string, events: AsyncGenerator<StoredEvent>): AsyncGenerator<StoredEvent> {
  const close = openSubscription(stream);
  try {
    yield* events;
  } finally {
    close();
  }
}

/**
 * This API process's event delivery: one shared reader per subscribed stream (streamFanout.ts),
 * woken when any process stores an event in it (store/eventWakeups.ts: a change stream on
 * MongoDB, the tick log on FerretDB). The wake-up source starts with the first subscriber.
 * Wake-ups are hints: when the source (re)starts and every SAFETY_READ_MS, one query asks for
 * the next event of every stream read so far, and the streams that have one are read on.
 */
export function createEventFeed(db: Db): EventFeed {
  /** Newest seq seen per stream, and when events were seen, for the events/s figure. */
  const seen = new Map<string, number>();
  const deliveries: number[] = [];
  function count(event: StoredEvent) {
    if ((seen.get(event.stream) ?? 0) >= event.seq) return;
    seen.set(event.stream, event.seq);
    deliveries.push(Date.now());
    if (deliveries.length > 100_000) deliveries.splice(0, deliveries.length - 100_000);
  }

  const fanout = createStreamFanout(
    (stream, afterSeq, limit, upToSeq) => readEvents(db, stream, afterSeq, limit, upToSeq),
    count,
    (event) => observePushLag(event.stream, event.created_at),
  );
  /** Wakes every stream with events its reader has not read: one probe for them all, whatever the wake-ups did (a failed probe waits for the next). */
  const wakeBehind = () => {
    const positions = fanout.positions();
    if (positions.size === 0) return;
    streamsWithEventsAfter(db, positions).then(
      (behind) => behind.forEach((stream) => fanout.wake(stream)),
      () => undefined,
    );
  };
  let wakeups: Promise<EventWakeups> | null = null;
  const safety = setInterval(wakeBehind, SAFETY_READ_MS);
  safety.unref();

  return {
    subscribe(stream, afterSeq, signal) {
      wakeups ??= watchEventWakeups(db, {
        streams: (woken) => woken.forEach((head, stream) => fanout.wake(stream, head)),
        all: wakeBehind,
      }).catch((err) => {
        // Not listening yet (the database is unreachable): the safety re-reads deliver meanwhile; try again with the next subscriber.
        wakeups = null;
        throw err;
      });
      wakeups.catch(() => undefined);
      return counted(stream, fanout.subscribe(stream, afterSeq, signal));
    },
    eventsPerSecond() {
      const since = Date.now() - 60_000;
      return deliveries.filter((t) => t >= since).length / 60;
    },
    async close() {
      clearInterval(safety);
      fanout.close();
      await (await wakeups?.catch(() => null))?.close();
    },
  };
}
