import type { AutonomyLevel } from '../domain/enums';
import type { ChangeRules, Conclusion } from '../domain/evolution';
import { decidePromotion } from './decidePromotion';

/**
 * A person's rollback makes a stored version current, so it passes the gate a promotion does.
 * A version that was current before may always come back (undoing a change is what rollback is
 * for). Any other version is judged by its newest experiment as a candidate, with the change
 * rules and autonomy level in force now (decidePromotion): what the rules never promote (a
 * loser, no difference, a failed must-pass case, a gain below the minimum) is refused; what
 * they leave to a person (manual and assisted levels, protected or critical components, the
 * hourly limit), and a version no experiment ever judged, goes through only with the person's
 * own reason, which the change records. Pure, so the workflow runs it and tests table it.
 */
export interface RollbackQuestion {
  component: string;
  version: string;
  /** The version was current at some time (derived from the changes). */
  wasCurrent: boolean;
  /** The newest experiment with a conclusion in which this version was the candidate (B). */
  judged: { conclusion: Conclusion; isRewrite: boolean } | null;
  level: AutonomyLevel;
  rules: ChangeRules;
  /** Automatic promotions in the last hour, across all components. */
  recentAutoPromotions: number;
  /** The person's own reason, or null when they gave none. */
  personReason: string | null;
}

export type RollbackAnswer =
  /** `rule`: why the gate lets it through, recorded with the change. */
  | { allowed: true; rule: string }
  /** 'rules': never, whoever asks; 'reason_required': only with the person's reason. */
  | { allowed: false; refusal: 'rules' | 'reason_required'; reason: string };

export function decideRollback(q: RollbackQuestion): RollbackAnswer {
  if (q.wasCurrent) return { allowed: true, rule: `${q.version} was current before` };
  const byPerson = (why: string): RollbackAnswer =>
    q.personReason
      ? { allowed: true, rule: `${why}; made current by a person` }
      : { allowed: false, refusal: 'reason_required', reason: `${why}: give a reason to make ${q.version} current` };
  if (!q.judged) return byPerson(`${q.version} never won an experiment`);
  const answer = decidePromotion({
    component: q.component,
    conclusion: q.judged.conclusion,
    level: q.level,
    rules: q.rules,
    isRewrite: q.judged.isRewrite,
    recentAutoPromotions: q.recentAutoPromotions,
  });
  if (answer.action === 'reject')
    return { allowed: false, refusal: 'rules', reason: `${q.version} cannot be made current: ${answer.reason}` };
  if (answer.action === 'await_approval') return byPerson(answer.reason);
  return { allowed: true, rule: answer.reason };
}
