/**
 * Group commit: writes asked for while a write is in flight wait for it and then go together in
 * the next one, so concurrent callers (turns of several sessions in one worker) share a write
 * and a lone caller never waits for a timer: its write starts at once, or as soon as the one in
 * flight ends. Writes go one after another, in the order they were asked for.
 *
 * A write that fails is tried again caller by caller, so one caller's bad item fails its own
 * call only (a prefix of the batch may have been written: `write` must be idempotent).
 */
export type GroupWrite<T> = (items: T[]) => Promise<void>;

interface Waiting<T> {
  items: T[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** `write`, called with the items of every call that arrived while the previous write was in flight. */
export function groupCommit<T>(write: GroupWrite<T>): GroupWrite<T> {
  let queued: Waiting<T>[] = [];
  let writing = false;

  async function settle(callers: Waiting<T>[]) {
    try {
      await write(callers.flatMap((c) => c.items));
      for (const c of callers) c.resolve();
    } catch (err) {
      if (callers.length === 1) return callers[0].reject(err);
      for (const c of callers) await settle([c]);
    }
  }

  async function drain() {
    writing = true;
    while (queued.length > 0) {
      const callers = queued;
      queued = [];
      await settle(callers);
    }
    writing = false;
  }

  return (items) =>
    new Promise<void>((resolve, reject) => {
      queued.push({ items, resolve, reject });
      if (!writing) void drain();
    });
}
