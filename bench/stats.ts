import { percentile } from '../api/services/systemMetrics';

/** p50/p99/max of a set of durations, rounded to 0.01 ms. */
export const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    n: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted[sorted.length - 1]),
  };
};
