import type { CaseResult } from '../../domain/evolution';
import { summariseSuiteRun } from '../../evolution/suiteSummary';

const SUITE = { name: 'calculator', hash: 'h1' };
const AT = '2026-01-01T00:00:00.000Z';

const caseResult = (id: string, passed: boolean, meanScore: number, latencies: number[], errors = 0): CaseResult => ({
  case_id: id,
  holdout: false,
  scores: latencies.map(() => meanScore),
  mean_score: meanScore,
  passed,
  latencies_ms: latencies,
  errors,
  failure: passed ? null : 'wrong',
});

test('pass rate, mean of case means, latency percentiles over every repetition, and errors summed', () => {
  const summary = summariseSuiteRun(
    SUITE,
    [
      caseResult('c1', true, 1, [10, 20]),
      caseResult('c2', false, 0.5, [30, 40], 1),
      caseResult('c3', false, 0, [50, 1000], 2),
      caseResult('c4', true, 0.9, [60, 70]),
    ],
    AT,
  );
  expect(summary).toEqual({
    suite: 'calculator',
    suite_hash: 'h1',
    cases: 4,
    passed: 2,
    pass_rate: 0.5,
    mean_score: 0.6,
    latency_p50_ms: 40,
    latency_p95_ms: 1000,
    errors: 3,
    at: AT,
  });
});

test('a run of no cases summarises to zeros, never NaN', () => {
  expect(summariseSuiteRun(SUITE, [], AT)).toMatchObject({
    cases: 0,
    passed: 0,
    pass_rate: 0,
    mean_score: 0,
    latency_p50_ms: 0,
    latency_p95_ms: 0,
    errors: 0,
  });
});
