import type { Decision } from '../../domain/evolution';
import { rejectsCandidate } from '../../evolution/candidateRejection';

test.each<[Decision['outcome'], boolean]>([
  ['rejected', true],
  ['not_promoted', true],
  ['expired', true],
  ['promoted', false],
  ['pending', false],
])('a %s decision rejects the candidate: %s', (outcome, rejects) => {
  expect(rejectsCandidate(outcome)).toBe(rejects);
});
