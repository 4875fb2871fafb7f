import { Context } from '@temporalio/activity';

/** The current activity attempt (1 outside an activity, e.g. in API code paths). */
export function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}
