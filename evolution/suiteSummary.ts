import type { CaseResult, SuiteSummary } from '../domain/evolution';
import { mean, percentileOf } from './statistics';

/**
 * What one suite run found, from its case results: cases passed and the pass rate, the mean of the
 * per-case mean scores, latency percentiles over every repetition, and the errors. Pure: the suite
 * runner only runs the cases and hands their results here.
 */
export function summariseSuiteRun(suite: { name: string; hash: string }, results: CaseResult[], at: string): SuiteSummary {
  const latencies = results.flatMap((r) => r.latencies_ms);
  const passed = results.filter((r) => r.passed).length;
  return {
    suite: suite.name,
    suite_hash: suite.hash,
    cases: results.length,
    passed,
    pass_rate: results.length ? passed / results.length : 0,
    mean_score: mean(results.map((r) => r.mean_score)),
    latency_p50_ms: percentileOf(latencies, 50),
    latency_p95_ms: percentileOf(latencies, 95),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    at,
  };
}
