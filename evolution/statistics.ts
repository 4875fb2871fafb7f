import type { PairedTestResult, Verdict } from '../domain/evolution';
import { seededRandom } from './seededRandom';

/**
 * The verdict's statistics: a paired sign-flip permutation test on per-case score
 * differences (B − A), exact up to 2^16 sign patterns and Monte Carlo (seeded) beyond,
 * with a percentile-bootstrap confidence interval of the mean difference.
 * Paired because both versions run the same cases; per case (reps averaged first)
 * because repetitions of a deterministic case are not independent evidence.
 */

const EXACT_LIMIT = 16;
const MONTE_CARLO_PERMUTATIONS = 20_000;
const BOOTSTRAP_RESAMPLES = 4_000;

/** The arithmetic mean; 0 for no samples. */
export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function pairedPermutationTest(a: number[], b: number[], seed = 1, confidence = 0.95): PairedTestResult {
  if (a.length !== b.length) throw new Error('paired samples must have the same length');
  const n = a.length;
  const d = a.map((x, i) => b[i] - x);
  const observed = mean(d);
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - observed) ** 2, 0) / Math.max(1, n - 1));
  const base = { n, mean_a: mean(a), mean_b: mean(b), effect: observed, effect_dz: sd > 0 ? observed / sd : 0 };
  const nonZero = d.filter((x) => x !== 0);
  if (nonZero.length === 0) {
    return {
      ...base,
      differing: 0,
      min_p_value: 1,
      ci_low: 0,
      ci_high: 0,
      p_value: 1,
      test: 'paired sign-flip permutation test (all differences zero)',
    };
  }
  // Even if every differing case favours one side, the two-sided test cannot go below this.
  const minP = nonZero.length <= EXACT_LIMIT ? Math.min(1, 2 / 2 ** nonZero.length) : 1 / (MONTE_CARLO_PERMUTATIONS + 1);
  // Zero differences do not change under a sign flip: enumerate only the others.
  const absObserved = Math.abs(nonZero.reduce((s, x) => s + x, 0)) - 1e-12;
  let extreme = 0;
  let total = 0;
  let test: string;
  const random = seededRandom(seed);
  if (nonZero.length <= EXACT_LIMIT) {
    const patterns = 1 << nonZero.length;
    for (let mask = 0; mask < patterns; mask++) {
      let s = 0;
      for (let i = 0; i < nonZero.length; i++) s += mask & (1 << i) ? -nonZero[i] : nonZero[i];
      if (Math.abs(s) >= absObserved) extreme++;
    }
    total = patterns;
    test = `exact paired sign-flip permutation test (two-sided, ${patterns} patterns)`;
  } else {
    for (let r = 0; r < MONTE_CARLO_PERMUTATIONS; r++) {
      let s = 0;
      for (const x of nonZero) s += random() < 0.5 ? -x : x;
      if (Math.abs(s) >= absObserved) extreme++;
    }
    // +1/+1: the observed pattern counts as one of the permutations (never p = 0).
    extreme += 1;
    total = MONTE_CARLO_PERMUTATIONS + 1;
    test = `paired sign-flip permutation test (two-sided, ${MONTE_CARLO_PERMUTATIONS} seeded permutations)`;
  }
  const boots: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(random() * n)];
    boots.push(s / n);
  }
  boots.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return {
    ...base,
    ci_low: boots[Math.floor(tail * (BOOTSTRAP_RESAMPLES - 1))],
    ci_high: boots[Math.ceil((1 - tail) * (BOOTSTRAP_RESAMPLES - 1))],
    p_value: Math.min(1, extreme / total),
    differing: nonZero.length,
    min_p_value: minP,
    test: `${test}; ${Math.round(confidence * 100)}% percentile bootstrap CI of mean(B − A), ${BOOTSTRAP_RESAMPLES} resamples`,
  };
}

/** The significance level of every A/B verdict. */
export const VERDICT_ALPHA = 0.05;

/** B better, A better, or no difference (anything not significant at α, or no effect at all). */
export function verdictOf(stats: Pick<PairedTestResult, 'p_value' | 'effect'>, alpha = VERDICT_ALPHA): Verdict {
  if (!(stats.p_value < alpha) || stats.effect === 0) return 'no_difference';
  return stats.effect > 0 ? 'b_better' : 'a_better';
}

export function percentileOf(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}
