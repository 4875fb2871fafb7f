import { DEFAULT_CHANGE_RULES, impossibleVerdict } from '../../domain/evolution';
import { concludeExperiment } from '../../evolution/concludeExperiment';
import { decidePromotion } from '../../evolution/decidePromotion';
import type { Subject } from './subjects';

/**
 * The A/B experiment and decision as the workflows make them: parent and candidate over the
 * suite's held-out cases, concluded by concludeExperiment (the paired sign-flip verdict at α),
 * then decidePromotion under `full` autonomy with the default change rules (no automatic-promotion
 * limit reached).
 */
export async function judgeCandidate(subject: Subject, parent: string, candidate: string, seed: number, isRewrite: boolean) {
  const [a, b] = [await subject.run(parent, subject.holdout), await subject.run(candidate, subject.holdout)];
  const conclusion = concludeExperiment({
    component: subject.component,
    versionA: 'parent',
    versionB: 'candidate',
    a,
    b,
    mustPassRules: DEFAULT_CHANGE_RULES.must_pass_cases,
    seed,
  });
  const decision = decidePromotion({
    component: subject.component,
    level: 'full',
    rules: DEFAULT_CHANGE_RULES,
    isRewrite,
    recentAutoPromotions: 0,
    conclusion,
  });
  return {
    suite_holdout_a: conclusion.mean_a,
    suite_holdout_b: conclusion.mean_b,
    p_value: conclusion.p_value,
    effect: conclusion.effect,
    differing_cases: conclusion.differing,
    verdict: impossibleVerdict(conclusion, conclusion.alpha) ? 'impossible' : conclusion.verdict,
    decision: decision.action,
  };
}

/** Parent and child on the benchmark set the loop never sees: did the promotion help there? */
export async function benchParentChild(subject: Subject, parent: string, child: string) {
  const [before, after] = [(await subject.run(parent, 'bench')).summary, (await subject.run(child, 'bench')).summary];
  return { bench_parent: before.mean_score, bench_child: after.mean_score, worse: after.mean_score < before.mean_score };
}
