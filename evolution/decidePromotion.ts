import type { AutonomyLevel } from '../domain/enums';
import type { ChangeRules, Conclusion } from '../domain/evolution';
import { impossibleVerdict } from '../domain/pairedTestResult';

/** Pure, so the workflow can run it deterministically and tests can table it. */
export interface PromotionQuestion {
  component: string;
  conclusion: Conclusion;
  level: AutonomyLevel;
  rules: ChangeRules;
  /** A model-written rewrite rather than a change of tunable defaults. */
  isRewrite: boolean;
  /** Automatic promotions in the last hour, across all components. */
  recentAutoPromotions: number;
}

export interface PromotionAnswer {
  action: 'promote' | 'await_approval' | 'reject';
  reason: string;
}

/**
 * The autonomy levels and change rules, in order: what can never be promoted first
 * (a loser, no difference, a failed must-pass case, a gain below the minimum), then
 * who must decide (a person at manual and assisted, for protected components, for
 * critical changes at semi_auto, and beyond the hourly limit), else the system promotes.
 */
export function decidePromotion(q: PromotionQuestion): PromotionAnswer {
  const { conclusion: c, rules, level } = q;
  if (c.verdict === 'a_better') return { action: 'reject', reason: `the candidate lost: ${c.summary}` };
  if (c.verdict === 'no_difference') {
    const impossible = impossibleVerdict(c, c.alpha);
    return { action: 'reject', reason: impossible ? `${impossible}: ${c.summary}` : `no significant difference: ${c.summary}` };
  }
  if (c.must_pass_failed.length) return { action: 'reject', reason: `must-pass cases failed: ${c.must_pass_failed.join(', ')}` };
  if (c.effect < rules.min_improvement) {
    return { action: 'reject', reason: `improvement ${c.effect.toFixed(4)} is below the minimum ${rules.min_improvement}` };
  }
  if (level === 'manual' || level === 'assisted')
    return { action: 'await_approval', reason: `autonomy level ${level}: a person decides` };
  if (rules.protected_components.includes(q.component))
    return { action: 'await_approval', reason: `${q.component} is protected: a person decides` };
  if (level === 'semi_auto') {
    if (rules.critical_components.includes(q.component))
      return { action: 'await_approval', reason: `${q.component} is critical at semi_auto: a person decides` };
    if (q.isRewrite && rules.rewrites_are_critical)
      return { action: 'await_approval', reason: 'a code rewrite is critical at semi_auto: a person decides' };
  }
  if (q.recentAutoPromotions >= rules.max_auto_promotions_per_hour) {
    return {
      action: 'await_approval',
      reason: `${q.recentAutoPromotions} automatic promotions in the last hour (limit ${rules.max_auto_promotions_per_hour}): a person decides`,
    };
  }
  return { action: 'promote', reason: `significant winner at autonomy level ${level}: ${c.summary}` };
}
