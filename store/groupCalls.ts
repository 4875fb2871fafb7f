/**
 * Group commit: calls made in the same moment (one synchronous run of the program: say, every
 * stream a wake-up names) or while the previous round trip is in flight go together in the next
 * one, so concurrent callers (turns of several sessions in one worker, readers woken at once) share
 * a round trip, and a lone caller never waits for a timer: its round trip starts as soon as the
 * current synchronous run yields, or as soon as the one in flight ends. Round trips go one after
 * another, in the order their calls were made.
 *
 * A round trip that fails is tried again caller by caller, so one caller's bad input fails its own
 * call only (part of the group may have been done: `run` must be idempotent).
 */
export type Grouped<I, O> = (input: I) => Promise<O>;

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/** `run` for the inputs of every call that arrived together; it returns one output per input, in order. */
export function groupCalls<I, O>(run: (inputs: I[]) => Promise<O[]>): Grouped<I, O> {
  let queued: Waiting<I, O>[] = [];
  let busy = false;

  async function settle(callers: Waiting<I, O>[]) {
    try {
      const outputs = await run(callers.map((c) => c.input));
      callers.forEach((c, i) => c.resolve(outputs[i]));
    } catch (err) {
      if (callers.length === 1) return callers[0].reject(err);
      for (const c of callers) await settle([c]);
    }
  }

  async function drain() {
    while (queued.length > 0) {
      const callers = queued;
      queued = [];
      await settle(callers);
    }
    busy = false;
  }

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queued.push({ input, resolve, reject });
      if (busy) return;
      busy = true;
      queueMicrotask(() => void drain());
    });
}
