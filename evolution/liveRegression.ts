import type { ChangeRules, VersionUsage } from '../domain/evolution';
import type { RegressionCheck } from '../domain/evolutionContracts';

/**
 * The watch after a promotion: live runs of the promoted version against its parent's. A
 * regression is an error-rate rise or a mean-latency growth past the change rules' thresholds,
 * judged only once enough live runs are in (a latency needs a baseline that ran at all). Pure,
 * so the thresholds are tabled in tests; the watching activity only reads the usage.
 */
type Runs = Pick<VersionUsage, 'usage_count' | 'error_count' | 'total_latency_ms'>;

const NO_RUNS: Runs = { usage_count: 0, error_count: 0, total_latency_ms: 0 };
const errorRate = (u: Runs) => (u.usage_count ? u.error_count / u.usage_count : 0);
const meanLatency = (u: Runs) => (u.usage_count ? u.total_latency_ms / u.usage_count : 0);
const percent = (rate: number) => (rate * 100).toFixed(1);

/** `promoted` and `baseline`: live usage of each version, absent when it never ran. */
export function judgeLiveRegression(
  promoted: Runs | undefined,
  baseline: Runs | undefined,
  rules: Pick<ChangeRules, 'min_watch_samples' | 'max_error_rate_increase' | 'max_latency_increase_ratio'>,
): RegressionCheck {
  const now = promoted ?? NO_RUNS;
  const base = baseline ?? NO_RUNS;
  const check = {
    samples: now.usage_count,
    error_rate: errorRate(now),
    baseline_error_rate: errorRate(base),
    avg_latency_ms: meanLatency(now),
    baseline_avg_latency_ms: meanLatency(base),
  };
  if (now.usage_count < rules.min_watch_samples)
    return { ...check, regressed: false, reason: `${now.usage_count} live runs so far; judging from ${rules.min_watch_samples}` };
  if (check.error_rate - check.baseline_error_rate > rules.max_error_rate_increase)
    return {
      ...check,
      regressed: true,
      reason: `error rate ${percent(check.error_rate)} % vs ${percent(check.baseline_error_rate)} % before (limit +${rules.max_error_rate_increase * 100} points)`,
    };
  if (
    base.usage_count > 0 &&
    check.baseline_avg_latency_ms > 0 &&
    check.avg_latency_ms > check.baseline_avg_latency_ms * (1 + rules.max_latency_increase_ratio)
  )
    return {
      ...check,
      regressed: true,
      reason: `mean latency ${check.avg_latency_ms.toFixed(1)} ms vs ${check.baseline_avg_latency_ms.toFixed(1)} ms before (limit +${rules.max_latency_increase_ratio * 100} %)`,
    };
  return { ...check, regressed: false, reason: 'within thresholds' };
}
