import type { StoredEvent } from '../../domain/events';

/**
 * Reads the stored events of `stream` after `afterSeq`, in order, at most `limit`: with
 * `upToSeq`, those up to it (known to be stored); without, until the end of the stream.
 */
export type ReadEvents = (stream: string, afterSeq: number, limit: number, upToSeq?: number) => Promise<StoredEvent[]>;

export interface StreamFanout {
  /** Every stored event of `stream` with seq > afterSeq, in order, then live ones, until `signal` aborts or close(). */
  subscribe(stream: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent>;
  /**
   * New events may have been stored in `stream`, up to `head` when the wake-up says (null: read
   * until the end): its shared reader reads them (if anyone listens), nothing when it has them.
   */
  wake(stream: string, head?: number | null): void;
  /** Each stream with a live shared reader, and the seq it has read up to. */
  positions(): Map<string, number>;
  close(): void;
}

const BATCH = 500;
/** A subscriber that does not keep up stops being fed and reads from the store when it is ready again. */
const MAX_QUEUED = 2000;

interface Subscriber {
  /** Seq of the last event queued for it: it gets last+1 next, never a gap, never twice. */
  last: number;
  queue: StoredEvent[];
  /** Live: fed by the shared reader. Otherwise it reads for itself until it has caught up. */
  live: boolean;
  notify: (() => void) | null;
}

interface SharedStream {
  /** The seq the shared reader has read up to (null until a subscriber is live). */
  last: number | null;
  subscribers: Set<Subscriber>;
  reading: boolean;
  readAgain: boolean;
  /** What the wake-ups since the last read asked for: up to a seq, or (null) until the end. */
  wanted: number | null;
}

/**
 * One reader per stream, however many subscribers it has (in this process): a wake-up makes
 * the stream's reader read once and hand each event to every live subscriber. A subscriber
 * that resumes from an older seq (or falls behind) reads for itself until it reaches the
 * shared position, then joins it. Events are handed on only as `last + 1`, so each subscriber
 * sees its stream exactly once and without gaps, whatever order wake-ups and reads finish in.
 * A stream nobody listens to is not read at all; an idle one costs nothing until woken.
 */
export function createStreamFanout(
  read: ReadEvents,
  onNewEvent: (event: StoredEvent) => void = () => undefined,
  /** Events the shared reader read after a wake-up: pushed live, not a subscriber catching up on history. */
  onLiveEvent: (event: StoredEvent) => void = () => undefined,
): StreamFanout {
  const streams = new Map<string, SharedStream>();
  let closed = false;

  /** Queues the events that continue `sub` without a gap; a gap means it must read for itself. */
  function offer(sub: Subscriber, events: StoredEvent[]) {
    for (const event of events) {
      if (event.seq <= sub.last) continue;
      if (event.seq > sub.last + 1 || sub.queue.length >= MAX_QUEUED) {
        sub.live = false;
        break;
      }
      sub.queue.push(event);
      sub.last = event.seq;
    }
    sub.notify?.();
  }

  async function readShared(name: string, shared: SharedStream) {
    shared.reading = true;
    try {
      do {
        shared.readAgain = false;
        if (shared.last === null) break;
        const upTo = shared.wanted;
        shared.wanted = 0;
        if (upTo !== null && upTo <= shared.last) continue;
        const batch = await read(name, shared.last, BATCH, upTo ?? undefined);
        if (batch.length === 0) continue;
        batch.forEach(onNewEvent);
        batch.forEach(onLiveEvent);
        shared.last = batch[batch.length - 1].seq;
        for (const sub of shared.subscribers) if (sub.live) offer(sub, batch);
        if (batch.length === BATCH) {
          shared.readAgain = true;
          if (upTo === null) shared.wanted = null;
          else if (shared.wanted !== null) shared.wanted = Math.max(upTo, shared.wanted);
        }
      } while (shared.readAgain && !closed && shared.subscribers.size > 0);
    } catch {
      // A failed read is retried by the next wake-up (the feed's safety timer sends one regularly).
    } finally {
      shared.reading = false;
    }
  }

  function wake(name: string, head: number | null = null) {
    const shared = streams.get(name);
    if (!shared || closed) return;
    shared.wanted = head === null || shared.wanted === null ? null : Math.max(head, shared.wanted);
    if (shared.reading) shared.readAgain = true;
    else void readShared(name, shared);
  }

  async function* subscribe(name: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
    let shared = streams.get(name);
    if (!shared) {
      shared = { last: null, subscribers: new Set(), reading: false, readAgain: false, wanted: 0 };
      streams.set(name, shared);
    }
    const sub: Subscriber = { last: afterSeq, queue: [], live: false, notify: null };
    shared.subscribers.add(sub);
    const stopWaiting = () => sub.notify?.();
    signal?.addEventListener('abort', stopWaiting);
    try {
      while (!closed && !signal?.aborted) {
        const next = sub.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (!sub.live) {
          const batch = await read(name, sub.last, BATCH);
          batch.forEach(onNewEvent);
          sub.live = true; // offer() turns it back off at a gap
          offer(sub, batch);
          if (batch.length === BATCH) sub.live = false;
          if (sub.live) {
            // Joining: the shared reader starts here, or catches up to here if it is behind.
            if (shared.last === null) shared.last = sub.last;
            else if (shared.last < sub.last) wake(name, sub.last);
            else if (shared.last > sub.last) sub.live = false; // events it has not read yet: read on
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          sub.notify = resolve;
        });
        sub.notify = null;
      }
    } finally {
      signal?.removeEventListener('abort', stopWaiting);
      shared.subscribers.delete(sub);
      if (shared.subscribers.size === 0 && streams.get(name) === shared) streams.delete(name);
    }
  }

  return {
    subscribe,
    wake,
    positions: () =>
      new Map([...streams].flatMap(([name, shared]) => (shared.last === null ? [] : [[name, shared.last] as const]))),
    close() {
      closed = true;
      for (const shared of streams.values()) for (const sub of shared.subscribers) sub.notify?.();
    },
  };
}
