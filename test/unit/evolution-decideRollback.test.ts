import { DEFAULT_CHANGE_RULES } from '../../domain/evolution';
import { decideRollback, type RollbackQuestion } from '../../evolution/decideRollback';
import { conclusionFor } from '../support/evolutionFixtures';

const ask = (patch: Partial<RollbackQuestion>) =>
  decideRollback({
    component: 'scaler',
    version: 'bbbbbbbbbbbb',
    wasCurrent: false,
    judged: { conclusion: conclusionFor('b_better'), isRewrite: false },
    level: 'full',
    rules: DEFAULT_CHANGE_RULES,
    recentAutoPromotions: 0,
    personReason: null,
    ...patch,
  });

describe('the rollback gate', () => {
  it('lets a version that was current before come back, whatever its experiments said', () => {
    expect(ask({ wasCurrent: true, judged: { conclusion: conclusionFor('a_better'), isRewrite: false } })).toEqual({
      allowed: true,
      rule: 'bbbbbbbbbbbb was current before',
    });
  });

  it.each([
    ['a loser', conclusionFor('a_better'), 'the candidate lost'],
    ['no difference', conclusionFor('no_difference'), 'no significant difference'],
    ['a failed must-pass case', { ...conclusionFor('b_better'), must_pass_failed: ['x1'] }, 'must-pass cases failed: x1'],
    ['a gain below the minimum', { ...conclusionFor('b_better'), effect: 0.001 }, 'improvement 0.0010 is below the minimum'],
  ])('refuses %s even with a reason', (_what, conclusion, why) => {
    const answer = ask({ judged: { conclusion, isRewrite: false }, personReason: 'please' });
    expect(answer).toMatchObject({ allowed: false, refusal: 'rules' });
    expect(!answer.allowed && answer.reason).toContain(`bbbbbbbbbbbb cannot be made current: ${why}`);
  });

  it.each([
    ['at manual', { level: 'manual' as const }],
    ['for a protected component', { rules: { ...DEFAULT_CHANGE_RULES, protected_components: ['scaler'] } }],
    [
      'for a rewrite at semi_auto',
      { level: 'semi_auto' as const, judged: { conclusion: conclusionFor('b_better'), isRewrite: true } },
    ],
    ['beyond the hourly limit', { recentAutoPromotions: 3 }],
    ['for a version never judged', { judged: null }],
  ])('needs the person’s reason %s, and lets it through with one', (_what, patch) => {
    expect(ask(patch)).toMatchObject({ allowed: false, refusal: 'reason_required' });
    expect(ask({ ...patch, personReason: 'checked by hand' })).toMatchObject({ allowed: true });
  });

  it('lets a significant winner through like a promotion at full autonomy', () => {
    expect(ask({})).toMatchObject({ allowed: true, rule: expect.stringMatching(/^significant winner at autonomy level full/) });
  });
});
