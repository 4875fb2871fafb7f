import type { CaseResult, SuiteRun } from '../../domain/evolution';
import { concludeExperiment, type ExperimentQuestion } from '../../evolution/concludeExperiment';
import { mustPassCasesOf } from '../../evolution/mustPassCases';
import { suiteSummary } from '../support/evolutionFixtures';

/** One arm's run: per case id, its mean score (passed when 1) and whether it is held out. */
function runOf(version: string, cases: readonly (readonly [id: string, score: number, holdout: boolean])[]): SuiteRun {
  const results: CaseResult[] = cases.map(([case_id, score, holdout]) => ({
    case_id,
    holdout,
    scores: [score],
    mean_score: score,
    passed: score === 1,
    latencies_ms: [1],
    errors: 0,
    failure: score === 1 ? null : 'wrong',
  }));
  return {
    component: 'scaler',
    version,
    suite: 's',
    suite_hash: 'h',
    repetitions: 1,
    cases: results,
    summary: suiteSummary(1, 1),
  };
}

const ids = (n: number, prefix = 'h') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const ask = (a: SuiteRun, b: SuiteRun, patch: Partial<ExperimentQuestion> = {}) =>
  concludeExperiment({ component: 'scaler', versionA: 'aaaa', versionB: 'bbbb', a, b, mustPassRules: [], seed: 7, ...patch });

describe('the verdict of an experiment', () => {
  it('names B the winner when it scores higher on every held-out case, and says so in its summary', () => {
    const c = ask(
      runOf(
        'aaaa',
        ids(10).map((id) => [id, 0, true]),
      ),
      runOf(
        'bbbb',
        ids(10).map((id) => [id, 1, true]),
      ),
    );
    expect(c).toMatchObject({ verdict: 'b_better', winner: 'bbbb', n: 10, mean_a: 0, mean_b: 1, effect: 1, alpha: 0.05 });
    expect(c.p_value).toBeLessThan(0.05);
    expect(c.summary).toMatch(/^held-out n=10: mean A 0\.000, B 1\.000, effect 1\.000 \[.*\], p=.* → b better$/);
  });

  it('names A the winner when B is worse', () => {
    const c = ask(
      runOf(
        'aaaa',
        ids(10).map((id) => [id, 1, true]),
      ),
      runOf(
        'bbbb',
        ids(10).map((id) => [id, 0, true]),
      ),
    );
    expect(c).toMatchObject({ verdict: 'a_better', winner: 'aaaa', effect: -1 });
  });

  it('judges on held-out cases only: training cases B wins do not count', () => {
    const a = runOf('aaaa', [
      ...ids(10, 't').map((id) => [id, 0, false] as const),
      ...ids(4).map((id) => [id, 0.5, true] as const),
    ]);
    const b = runOf('bbbb', [
      ...ids(10, 't').map((id) => [id, 1, false] as const),
      ...ids(4).map((id) => [id, 0.5, true] as const),
    ]);
    expect(ask(a, b)).toMatchObject({ verdict: 'no_difference', winner: null, n: 4, effect: 0 });
  });

  it('judges on every case when the suite holds none out', () => {
    const c = ask(
      runOf(
        'aaaa',
        ids(10).map((id) => [id, 0, false]),
      ),
      runOf(
        'bbbb',
        ids(10).map((id) => [id, 1, false]),
      ),
    );
    expect(c).toMatchObject({ verdict: 'b_better', n: 10 });
    expect(c.summary).toMatch(/^all \(suite has no held-out part\) n=10/);
  });

  it('pairs only the cases both arms ran', () => {
    const a = runOf(
      'aaaa',
      ids(11).map((id) => [id, 0, true]),
    );
    const b = runOf(
      'bbbb',
      ids(10).map((id) => [id, 1, true]),
    );
    expect(ask(a, b).n).toBe(10);
  });

  it('says no verdict is possible when too few cases differ for any test to reach α', () => {
    const a = runOf(
      'aaaa',
      ids(6).map((id) => [id, 0.5, true]),
    );
    const b = runOf(
      'bbbb',
      ids(6).map((id, i) => [id, i < 2 ? 1 : 0.5, true]),
    );
    const c = ask(a, b);
    expect(c).toMatchObject({ verdict: 'no_difference', differing: 2 });
    expect(c.summary).toMatch(/→ no verdict possible \(2 differing cases\)$/);
  });

  it('lists the must-pass cases B failed, for this component only', () => {
    const a = runOf(
      'aaaa',
      ids(4).map((id) => [id, 1, true]),
    );
    const b = runOf(
      'bbbb',
      ids(4).map((id, i) => [id, i < 3 ? 0 : 1, true]),
    );
    const c = ask(a, b, { mustPassRules: ['scaler:h0', 'h1', 'other:h2', 'scaler:h3', 'scaler:missing'] });
    expect(c.must_pass_failed).toEqual(['h0', 'h1']);
  });

  it('gives the same conclusion for the same runs and seed', () => {
    const a = runOf(
      'aaaa',
      ids(30).map((id, i) => [id, (i % 3) / 2, true]),
    );
    const b = runOf(
      'bbbb',
      ids(30).map((id, i) => [id, ((i + 1) % 3) / 2, true]),
    );
    expect(ask(a, b)).toEqual(ask(a, b));
  });
});

describe('must-pass rules', () => {
  it.each([
    [['scaler:c1'], ['c1']],
    [['c2'], ['c2']],
    [['other:c1'], []],
    [
      ['scaler:c1', 'c2', 'other:c3'],
      ['c1', 'c2'],
    ],
    [[], []],
  ])('%j binds scaler to %j', (rules, expected) => {
    expect(mustPassCasesOf(rules, 'scaler')).toEqual(expected);
  });
});
