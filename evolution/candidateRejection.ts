import type { Decision } from '../domain/evolution';

/**
 * Which decided outcomes mark the candidate version rejected: a person's or the rules' no, a
 * promotion the rules refused, and an approval nobody gave in time. A promotion keeps it, and a
 * pending decision has not decided yet. The recording activity only writes what this says.
 */
const REJECTING: ReadonlySet<Decision['outcome']> = new Set(['rejected', 'not_promoted', 'expired']);

export function rejectsCandidate(outcome: Decision['outcome']): boolean {
  return REJECTING.has(outcome);
}
