import { DEFAULT_CHANGE_RULES } from '../../domain/evolution';
import { judgeLiveRegression } from '../../evolution/liveRegression';

/** `runs` live runs, `errors` of them failed, each taking `latency` ms. */
const usage = (runs: number, errors: number, latency: number) => ({
  usage_count: runs,
  error_count: errors,
  total_latency_ms: runs * latency,
});
const rules = { ...DEFAULT_CHANGE_RULES, min_watch_samples: 5, max_error_rate_increase: 0.1, max_latency_increase_ratio: 1 };

describe('the watch after a promotion', () => {
  it('judges nothing before enough live runs are in', () => {
    expect(judgeLiveRegression(usage(4, 4, 10), usage(100, 0, 10), rules)).toMatchObject({
      regressed: false,
      samples: 4,
      error_rate: 1,
      reason: '4 live runs so far; judging from 5',
    });
  });

  it('reads a version that never ran as no runs at all', () => {
    expect(judgeLiveRegression(undefined, undefined, rules)).toEqual({
      regressed: false,
      reason: '0 live runs so far; judging from 5',
      samples: 0,
      error_rate: 0,
      baseline_error_rate: 0,
      avg_latency_ms: 0,
      baseline_avg_latency_ms: 0,
    });
  });

  it('finds a regression when the error rate rises past the limit, not at it', () => {
    expect(judgeLiveRegression(usage(10, 3, 10), usage(10, 1, 10), rules)).toMatchObject({
      regressed: true,
      error_rate: 0.3,
      baseline_error_rate: 0.1,
      reason: 'error rate 30.0 % vs 10.0 % before (limit +10 points)',
    });
    expect(judgeLiveRegression(usage(10, 2, 10), usage(10, 1, 10), rules)).toMatchObject({ regressed: false });
  });

  it('finds a regression when mean latency grows past the ratio, not at it', () => {
    expect(judgeLiveRegression(usage(10, 0, 21), usage(10, 0, 10), rules)).toMatchObject({
      regressed: true,
      avg_latency_ms: 21,
      baseline_avg_latency_ms: 10,
      reason: 'mean latency 21.0 ms vs 10.0 ms before (limit +100 %)',
    });
    expect(judgeLiveRegression(usage(10, 0, 20), usage(10, 0, 10), rules)).toMatchObject({ regressed: false });
  });

  it('judges no latency against a baseline that never ran', () => {
    expect(judgeLiveRegression(usage(10, 0, 500), undefined, rules)).toMatchObject({
      regressed: false,
      reason: 'within thresholds',
    });
  });

  it('passes a version within every threshold', () => {
    expect(judgeLiveRegression(usage(10, 1, 12), usage(10, 1, 10), rules)).toMatchObject({
      regressed: false,
      reason: 'within thresholds',
    });
  });
});
