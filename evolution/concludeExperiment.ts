import { type Conclusion, impossibleVerdict, type SuiteRun } from '../domain/evolution';
import { mustPassCasesOf } from './mustPassCases';
import { pairedPermutationTest, VERDICT_ALPHA, verdictOf } from './statistics';

/**
 * The verdict of an A/B experiment, on held-out cases only (all cases when the suite holds none
 * out): a paired sign-flip permutation test of per-case scores (B − A) at α = 0.05, with effect
 * size and a bootstrap interval; anything not significant is "no difference". The must-pass
 * cases B failed ride along for the promotion rules (decidePromotion.ts). Pure and seeded, so
 * the same runs always give the same conclusion; the judging activity only reads and stores.
 */
export interface ExperimentQuestion {
  component: string;
  versionA: string;
  versionB: string;
  a: SuiteRun;
  b: SuiteRun;
  /** The change rules' must_pass_cases in force at the judgement. */
  mustPassRules: readonly string[];
  seed: number;
}

const fmt = (n: number) => n.toFixed(3);

export function concludeExperiment(q: ExperimentQuestion): Conclusion {
  const holdoutIds = q.a.cases.filter((c) => c.holdout).map((c) => c.case_id);
  const ids = holdoutIds.length ? holdoutIds : q.a.cases.map((c) => c.case_id);
  const aById = new Map(q.a.cases.map((c) => [c.case_id, c]));
  const bById = new Map(q.b.cases.map((c) => [c.case_id, c]));
  const paired = ids.filter((id) => bById.has(id));
  const stats = pairedPermutationTest(
    paired.map((id) => aById.get(id)!.mean_score),
    paired.map((id) => bById.get(id)!.mean_score),
    q.seed,
  );
  const verdict = verdictOf(stats, VERDICT_ALPHA);
  const outcome = impossibleVerdict(stats, VERDICT_ALPHA)
    ? `no verdict possible (${stats.differing} differing cases)`
    : verdict.replace('_', ' ');
  return {
    verdict,
    winner: verdict === 'b_better' ? q.versionB : verdict === 'a_better' ? q.versionA : null,
    test: stats.test,
    n: stats.n,
    mean_a: stats.mean_a,
    mean_b: stats.mean_b,
    effect: stats.effect,
    effect_dz: stats.effect_dz,
    ci_low: stats.ci_low,
    ci_high: stats.ci_high,
    p_value: stats.p_value,
    differing: stats.differing,
    min_p_value: stats.min_p_value,
    alpha: VERDICT_ALPHA,
    must_pass_failed: mustPassCasesOf(q.mustPassRules, q.component).filter((id) => bById.has(id) && !bById.get(id)!.passed),
    summary:
      `${holdoutIds.length ? 'held-out' : 'all (suite has no held-out part)'} n=${stats.n}: mean A ${fmt(stats.mean_a)}, B ${fmt(stats.mean_b)}, ` +
      `effect ${fmt(stats.effect)} [${fmt(stats.ci_low)}, ${fmt(stats.ci_high)}], p=${stats.p_value.toPrecision(3)} → ${outcome}`,
  };
}
