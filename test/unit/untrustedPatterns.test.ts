import { Expectation, SuiteFile } from '../../domain/suite';
import { scoreCase } from '../../evaluation/suite';
import { readDependencies } from '../../evolution/readDependencies';
import { writeTunableDefaults } from '../../evolution/tunableMutation';

/**
 * Suite patterns and tunable names come from people and models: a pattern runs in linear time
 * (RE2), one RE2 cannot compile is refused where suites are accepted and fails its case if it
 * was stored before, and a name is matched as the text it is.
 */
const ok = (output: unknown) => ({ ok: true as const, output, durationMs: 1 });
const failed = (error: string) => ({ ok: false as const, failure: 'error' as const, error, durationMs: 1 });
// A backtracking engine tries every way to split the a's between the two loops: 2^40 steps.
const CATASTROPHIC = '(a+)+$';
const AGAINST_IT = `${'a'.repeat(40)}!`;

describe('suite patterns', () => {
  it('a catastrophic pattern against output built to defeat it ends with a plain mismatch', () => {
    const matches = Expectation.parse({ path: 'text', matches: CATASTROPHIC });
    expect(scoreCase(matches, ok({ text: AGAINST_IT }))).toEqual({
      score: 0,
      passed: false,
      failure: `text: "${AGAINST_IT}" does not match /${CATASTROPHIC}/`,
    });
    const errorMatches = Expectation.parse({ error_matches: CATASTROPHIC });
    expect(scoreCase(errorMatches, failed(AGAINST_IT)).passed).toBe(false);
    expect(scoreCase(errorMatches, failed('aaaa')).passed).toBe(true);
  });

  it('keeps the JavaScript semantics the suites rely on', () => {
    const cases: [string, string, boolean][] = [
      [
        '^1 km = 1000 m\\n\\nI could not run calculator: .*Division by zero$',
        '1 km = 1000 m\n\nI could not run calculator: x Division by zero',
        true,
      ],
      ['^a.b$', 'a\nb', false], // no dotAll
      ['^b', 'a\nb', false], // no multiline
      ['caf\\u00e9', 'café', true],
      ['(?<word>[a-z]+) \\d+', 'abc 12', true],
      ['semi_auto, full \\[1\\]', 'semi_auto, full [1]', true],
      ['^x[\\s\\S]{1000}[\\s\\S]{500,}y$', `x${'-'.repeat(1500)}y`, true],
      ['^x[\\s\\S]{1000}[\\s\\S]{500,}y$', `x${'-'.repeat(1499)}y`, false],
    ];
    for (const [pattern, text, expected] of cases) {
      expect([pattern, scoreCase(Expectation.parse({ path: 't', matches: pattern }), ok({ t: text })).passed]).toEqual([
        pattern,
        expected,
      ]);
    }
    // A value that is not text is matched as its JSON.
    expect(scoreCase(Expectation.parse({ path: 'n', matches: '^\\{"a":1\\}$' }), ok({ n: { a: 1 } })).passed).toBe(true);
  });

  it.each([
    ['a backreference', '(a)\\1'],
    ['a lookahead', 'a(?=b)'],
    ['a negative lookbehind', '(?<!a)b'],
    ['a repeat count over 1,000', 'a{1500,}'],
  ])('refuses %s where suites are accepted, with the reason', (_what, pattern) => {
    const parsed = SuiteFile.safeParse({
      component: 'c',
      cases: [{ id: 'x', input: {}, expect: { path: 'p', matches: pattern } }],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('cannot be matched in linear time');
    expect(Expectation.safeParse({ error_matches: pattern }).success).toBe(false);
  });

  it('fails a case whose stored pattern RE2 cannot compile, instead of throwing', () => {
    const stored = { path: 'p', matches: '(a)\\1' } as Expectation; // stored before patterns were checked
    const scored = scoreCase(stored, ok({ p: 'aa' }));
    expect(scored).toMatchObject({ score: 0, passed: false });
    expect(scored.failure).toContain('/(a)\\1/ cannot be matched in linear time');
  });
});

describe('tunable and component names are matched as text', () => {
  const CODE = `var component = {
  tunables: {
    aXb: { default: 1, min: 0, max: 9 },
    'a.b': { default: 2, min: 0, max: 9 },
    "c+(": { default: 3, min: 0, max: 9 },
  },
};`;

  it('rewrites the default of a name with regex metacharacters, and only that one', () => {
    const rewritten = writeTunableDefaults(CODE, { 'a.b': 7, 'c+(': 8 });
    expect(rewritten).toContain('aXb: { default: 1,');
    expect(rewritten).toContain("'a.b': { default: 7,");
    expect(rewritten).toContain('"c+(": { default: 8,');
    expect(writeTunableDefaults(CODE, { aXb: 5 })).toContain('aXb: { default: 5,');
  });

  it('finds a named component only where its exact name is quoted', () => {
    expect(readDependencies("call('aXb')", ['a.b', 'x(y'])).toEqual([]);
    expect(readDependencies('call(\'a.b\'); call("x(y")', ['a.b', 'x(y'])).toEqual(['component:a.b', 'component:x(y']);
  });
});
