/**
 * A paired test's result and what it can no longer say. Zod-free on purpose: evolution/ code the
 * workflow bundle imports reads it, and Temporal evaluates the bundle's modules for every workflow
 * run (domain/evolution.ts re-exports these).
 */
/** What a paired test of per-case scores (B against A) found. */
export interface PairedTestResult {
  test: string;
  /** Held-out cases the verdict used. */
  n: number;
  mean_a: number;
  mean_b: number;
  /** mean(B − A) per held-out case: the effect size on the score scale. */
  effect: number;
  /** Cohen's d_z of the paired differences (0 when they do not vary). */
  effect_dz: number;
  ci_low: number;
  ci_high: number;
  p_value: number;
  /** Held-out cases whose scores differ (the only ones a sign-flip test can use); absent on older records. */
  differing?: number;
  /** The smallest p the test could give with these cases, had all of them favoured one side. */
  min_p_value?: number;
}

/**
 * "Verdict impossible" rather than "no difference": when so few cases differ that even the most
 * one-sided outcome could not reach α, the test says nothing about B against A. Null otherwise.
 */
export function impossibleVerdict(c: Pick<PairedTestResult, 'differing' | 'min_p_value'>, alpha: number): string | null {
  if (c.differing === undefined || c.min_p_value === undefined || c.min_p_value < alpha) return null;
  const bound =
    c.differing === 0
      ? 'no test can tell them apart'
      : `the smallest p an exact sign-flip test can give is 2/2^${c.differing} = ${c.min_p_value.toPrecision(3)} ≥ α = ${alpha}`;
  return `verdict impossible: only ${c.differing} held-out case${c.differing === 1 ? '' : 's'} differ; ${bound}`;
}
