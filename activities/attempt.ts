import { Context } from '@temporalio/activity';

/** The current activity attempt (1 outside an activity, e.g. in API code paths). */
export function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/**
 * Throws when Temporal has given up on this attempt (it timed out on a stalled worker, or the
 * worker is shutting down) while it still runs: its retry, or the workflow's failure path, owns
 * what it would write now. A person's cancel request is not this: the stop keeps its partial work.
 */
export function assertAttemptCurrent(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // not in an activity
  }
  const details = context.cancellationDetails;
  if (context.cancellationSignal.aborted && !details?.cancelRequested) {
    throw new Error(`attempt ${context.info.attempt} was superseded; its result is not stored`);
  }
}
