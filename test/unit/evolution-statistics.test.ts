import { decidePromotion, PromotionQuestion } from '../../evolution/decidePromotion';
import { pairedPermutationTest, verdictOf } from '../../evolution/statistics';
import { describeTunableChange, mutateTunables, writeTunableDefaults } from '../../evolution/tunableMutation';
import { Conclusion, DEFAULT_CHANGE_RULES, impossibleVerdict } from '../../domain/evolution';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { sandboxPool } from '../../sandbox/sandboxPool';

afterAll(() => sandboxPool.close());

describe('verdict', () => {
  it('names the better side only when the test is significant at α and there is an effect', () => {
    expect(verdictOf({ p_value: 0.01, effect: 0.2 })).toBe('b_better');
    expect(verdictOf({ p_value: 0.01, effect: -0.2 })).toBe('a_better');
    expect(verdictOf({ p_value: 0.05, effect: 0.2 })).toBe('no_difference');
    expect(verdictOf({ p_value: 0.01, effect: 0 })).toBe('no_difference');
    expect(verdictOf({ p_value: 0.08, effect: 0.2 }, 0.1)).toBe('b_better');
  });
});

describe('tunable change', () => {
  it('lists only the tunables that moved', () => {
    expect(describeTunableChange({ a: 1, b: 2, c: 3 }, { a: 1, b: 4, c: 0 })).toBe('b 2→4, c 3→0');
    expect(describeTunableChange({ a: 1 }, { a: 1 })).toBe('');
  });
});

describe('paired permutation test', () => {
  it('finds a consistent improvement significant, with its effect and interval', () => {
    const a = [0, 0, 0, 0, 0, 0, 0, 0, 0.5, 0.5];
    const b = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const r = pairedPermutationTest(a, b, 7);
    expect(r.p_value).toBeLessThan(0.01);
    expect(r.effect).toBeCloseTo(0.9);
    expect(r.ci_low).toBeGreaterThan(0.5);
    expect(r.ci_high).toBeLessThanOrEqual(1);
    expect(r.test).toMatch(/exact/);
  });

  it('calls identical scores no difference (p = 1) and noise not significant', () => {
    expect(pairedPermutationTest([1, 0, 1], [1, 0, 1]).p_value).toBe(1);
    const noise = pairedPermutationTest([1, 0, 1, 0, 1, 0], [0, 1, 1, 0, 0, 1], 3);
    expect(noise.p_value).toBeGreaterThan(0.5);
  });

  it("says when no verdict is possible: 4 differing cases of 54 (the issue's detuned retriever) cannot reach p < 0.05", () => {
    const a = Array.from({ length: 54 }, (_, i) => (i < 4 ? 0 : 1));
    const b = Array.from({ length: 54 }, (_, i) => (i < 4 ? 0.5 : 1));
    const r = pairedPermutationTest(a, b, 1);
    expect(r).toMatchObject({ differing: 4, min_p_value: 0.125, p_value: 0.125 });
    expect(impossibleVerdict(r, 0.05)).toBe(
      'verdict impossible: only 4 held-out cases differ; the smallest p an exact sign-flip test can give is 2/2^4 = 0.125 ≥ α = 0.05',
    );
    // Six cases all one way can: 2/64 < 0.05.
    const six = pairedPermutationTest([0, 0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1]);
    expect(six).toMatchObject({ differing: 6, min_p_value: 0.03125, p_value: 0.03125 });
    expect(impossibleVerdict(six, 0.05)).toBeNull();
    expect(impossibleVerdict(pairedPermutationTest([1, 1], [1, 1]), 0.05)).toBe(
      'verdict impossible: only 0 held-out cases differ; no test can tell them apart',
    );
    expect(
      decidePromotion({
        component: 'docs_retriever',
        level: 'full',
        rules: DEFAULT_CHANGE_RULES,
        isRewrite: false,
        recentAutoPromotions: 0,
        conclusion: conclusion({ ...r, verdict: 'no_difference', winner: null, summary: 'held-out n=54' }),
      }).reason,
    ).toMatch(/^verdict impossible: only 4 held-out cases differ; .*: held-out n=54$/);
  });

  it('uses seeded Monte Carlo beyond 16 non-zero pairs and is reproducible', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i % 3) / 3);
    const b = a.map((x, i) => x + (i % 4 === 0 ? -0.1 : 0.2));
    const r1 = pairedPermutationTest(a, b, 11);
    const r2 = pairedPermutationTest(a, b, 11);
    expect(r1).toEqual(r2);
    expect(r1.test).toMatch(/seeded permutations/);
    expect(r1.p_value).toBeLessThan(0.001);
  });
});

const conclusion = (over: Partial<Conclusion> = {}): Conclusion => ({
  verdict: 'b_better',
  winner: 'bbbbbbbbbbbb',
  test: 't',
  n: 10,
  mean_a: 0.5,
  mean_b: 0.8,
  effect: 0.3,
  effect_dz: 2,
  ci_low: 0.2,
  ci_high: 0.4,
  p_value: 0.002,
  alpha: 0.05,
  must_pass_failed: [],
  summary: 's',
  ...over,
});
const ask = (over: Partial<PromotionQuestion> = {}) =>
  decidePromotion({
    component: 'calculator',
    conclusion: conclusion(),
    level: 'full',
    rules: DEFAULT_CHANGE_RULES,
    isRewrite: false,
    recentAutoPromotions: 0,
    ...over,
  }).action;

describe('promotion decision (autonomy levels and change rules)', () => {
  it('never promotes a loser or a tie, at any level', () => {
    for (const level of ['manual', 'assisted', 'semi_auto', 'full'] as const) {
      expect(ask({ level, conclusion: conclusion({ verdict: 'a_better', effect: -0.3 }) })).toBe('reject');
      expect(ask({ level, conclusion: conclusion({ verdict: 'no_difference', effect: 0.01 }) })).toBe('reject');
    }
  });
  it('manual and assisted wait for a person; semi_auto and full promote a plain winner', () => {
    expect(ask({ level: 'manual' })).toBe('await_approval');
    expect(ask({ level: 'assisted' })).toBe('await_approval');
    expect(ask({ level: 'semi_auto' })).toBe('promote');
    expect(ask({ level: 'full' })).toBe('promote');
  });
  it('semi_auto waits on critical components and rewrites; full does not; protected always waits', () => {
    const rules = { ...DEFAULT_CHANGE_RULES, critical_components: ['calculator'] };
    expect(ask({ level: 'semi_auto', rules })).toBe('await_approval');
    expect(ask({ level: 'full', rules })).toBe('promote');
    expect(ask({ level: 'semi_auto', isRewrite: true })).toBe('await_approval');
    const prot = { ...DEFAULT_CHANGE_RULES, protected_components: ['calculator'] };
    expect(ask({ level: 'full', rules: prot })).toBe('await_approval');
  });
  it('applies the minimum improvement, must-pass cases and the hourly limit', () => {
    expect(ask({ rules: { ...DEFAULT_CHANGE_RULES, min_improvement: 0.5 } })).toBe('reject');
    expect(ask({ conclusion: conclusion({ must_pass_failed: ['div-zero'] }) })).toBe('reject');
    expect(ask({ recentAutoPromotions: DEFAULT_CHANGE_RULES.max_auto_promotions_per_hour })).toBe('await_approval');
  });
});

describe('offline operator', () => {
  const code = readFileSync(path.resolve(__dirname, '../../components/rag/docs_retriever.js'), 'utf8');
  it('is seeded, stays in range and on the step grid, and rewrites only the defaults', async () => {
    const manifest = await readComponentManifest(code);
    const tunables = manifest.tunables!;
    const base = Object.fromEntries(Object.entries(tunables).map(([k, t]) => [k, t.default]));
    const one = mutateTunables(tunables, base, 5, 6);
    expect(mutateTunables(tunables, base, 5, 6)).toEqual(one);
    expect(mutateTunables(tunables, base, 6, 6)).not.toEqual(one);
    expect(one).toHaveLength(6);
    for (const m of one) {
      for (const [k, v] of Object.entries(m)) {
        expect(v).toBeGreaterThanOrEqual(tunables[k].min);
        expect(v).toBeLessThanOrEqual(tunables[k].max);
      }
      const rewritten = writeTunableDefaults(code, m);
      const after = await readComponentManifest(rewritten);
      expect(Object.fromEntries(Object.entries(after.tunables!).map(([k, t]) => [k, t.default]))).toEqual(m);
    }
  });
});
