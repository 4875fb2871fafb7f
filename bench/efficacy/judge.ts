import { DEFAULT_CHANGE_RULES, impossibleVerdict, type Conclusion } from '../../domain/evolution';
import { decidePromotion } from '../../evolution/decidePromotion';
import { pairedPermutationTest, VERDICT_ALPHA, verdictOf } from '../../evolution/statistics';
import type { Subject } from './subjects';

/**
 * The A/B experiment and decision as the workflows make them: parent and candidate over the
 * suite's held-out cases, the paired sign-flip verdict at α, then decidePromotion under `full`
 * autonomy with the default change rules (no automatic-promotion limit reached).
 */
export async function judgeCandidate(subject: Subject, parent: string, candidate: string, seed: number, isRewrite: boolean) {
  const [a, b] = [await subject.run(parent, subject.holdout), await subject.run(candidate, subject.holdout)];
  const stats = pairedPermutationTest(
    a.cases.map((c) => c.mean_score),
    b.cases.map((c) => c.mean_score),
    seed,
  );
  const verdict = verdictOf(stats, VERDICT_ALPHA);
  const conclusion: Conclusion = { ...stats, verdict, winner: null, alpha: VERDICT_ALPHA, must_pass_failed: [], summary: '' };
  const decision = decidePromotion({
    component: subject.component,
    level: 'full',
    rules: DEFAULT_CHANGE_RULES,
    isRewrite,
    recentAutoPromotions: 0,
    conclusion,
  });
  return {
    suite_holdout_a: stats.mean_a,
    suite_holdout_b: stats.mean_b,
    p_value: stats.p_value,
    effect: stats.effect,
    differing_cases: stats.differing,
    verdict: impossibleVerdict(stats, VERDICT_ALPHA) ? 'impossible' : verdict,
    decision: decision.action,
  };
}

/** Parent and child on the benchmark set the loop never sees: did the promotion help there? */
export async function benchParentChild(subject: Subject, parent: string, child: string) {
  const [before, after] = [(await subject.run(parent, 'bench')).summary, (await subject.run(child, 'bench')).summary];
  return { bench_parent: before.mean_score, bench_child: after.mean_score, worse: after.mean_score < before.mean_score };
}
