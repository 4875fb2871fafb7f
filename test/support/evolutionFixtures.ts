import type { Conclusion, SuiteSummary } from '../../domain/evolution';

/**
 * What the mocked evolution activities answer in the time-skipping workflow tests: version A is
 * aaaaaaaaaaaa, the candidate B bbbbbbbbbbbb.
 */

/** A suite run in which `passed` of `cases` cases passed. */
export const suiteSummary = (cases: number, passed: number): SuiteSummary => ({
  suite: 's',
  suite_hash: 'h',
  cases,
  passed,
  pass_rate: passed / cases,
  mean_score: passed / cases,
  latency_p50_ms: 1,
  latency_p95_ms: 2,
  errors: 0,
  at: '',
});

/** The judged experiment: B wins by 0.3, loses by 0.3, or they do not differ. */
export const conclusionFor = (verdict: Conclusion['verdict']): Conclusion => ({
  verdict,
  winner: verdict === 'b_better' ? 'bbbbbbbbbbbb' : verdict === 'a_better' ? 'aaaaaaaaaaaa' : null,
  test: 'exact paired sign-flip',
  n: 10,
  mean_a: 0.5,
  mean_b: verdict === 'b_better' ? 0.8 : verdict === 'a_better' ? 0.2 : 0.5,
  effect: verdict === 'b_better' ? 0.3 : verdict === 'a_better' ? -0.3 : 0,
  effect_dz: 1,
  ci_low: 0.1,
  ci_high: 0.4,
  p_value: verdict === 'no_difference' ? 1 : 0.002,
  alpha: 0.05,
  must_pass_failed: [],
  summary: verdict,
});
