/**
 * Heartbeats: how an activity that runs for a while hears that it was cancelled (the reply to a
 * heartbeat carries it in) and how Temporal tells it from a dead worker (heartbeats stop).
 */
import { Context } from '@temporalio/activity';

/**
 * How often the streamed answer heartbeats, and at most how often the worker sends a heartbeat
 * (worker/createWorker.ts). Stop reaches the answer in the reply to a heartbeat, so this bounds
 * how long tokens flow after stop; and each heartbeat is a write of the workflow's state on the
 * Temporal server (an 8-second answer made 31 at 250 ms, against 5 for the rest of its turn).
 * Half a second: stop still shows within about half a second.
 */
export const HEARTBEAT_EVERY_MS = 500;

/** The running activity's context; null outside an activity (the stores' functions also run in tests and benches). */
export function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

/**
 * Runs `work` heartbeating every `everyMs` until it settles, given the activity's cancellation
 * signal (outside an activity: no heartbeats, and a signal that never aborts).
 */
export async function heartbeatingWhile<T>(everyMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const activity = activityContext();
  const timer = setInterval(() => activity?.heartbeat(), everyMs);
  try {
    return await work(activity?.cancellationSignal ?? new AbortController().signal);
  } finally {
    clearInterval(timer);
  }
}
