import { draftManifestRefusal, parseDraftedSuite } from '../../evolution/generatedToolDraft';

describe("a generated tool's draft", () => {
  it.each([
    [{ type: 'tool' as const, name: 'reverse_text' }, null],
    [{ type: 'memory' as const, name: 'reverse_text' }, 'the draft is a memory, not a tool'],
    [{ type: 'tool' as const, name: 'ReverseText' }, 'the draft\'s name "ReverseText" is not snake_case'],
    [{ type: 'tool' as const, name: 'r' }, 'the draft\'s name "r" is not snake_case'],
    [{ type: 'tool' as const, name: `a${'b'.repeat(48)}` }, `the draft's name "a${'b'.repeat(48)}" is not snake_case`],
  ])('%j is refused with %j', (manifest, refusal) => {
    expect(draftManifestRefusal(manifest)).toBe(refusal);
  });
});

describe("a generated tool's drafted suite", () => {
  const suite = (cases: unknown) => JSON.stringify({ component: 'anything', cases });

  it('reads its cases for the tool, whatever component it names, holding none out by default', () => {
    expect(parseDraftedSuite('reverse_text', suite([{ id: 'c1', input: { text: 'ab' }, expect: { equals: 'ba' } }]))).toEqual([
      { id: 'c1', input: { text: 'ab' }, expect: { equals: 'ba' }, holdout: false },
    ]);
  });

  it.each([
    ['not JSON', '{cases', /^the suite is not JSON: /],
    ['without cases', suite([]), /^the suite is invalid: cases: /],
    [
      'with an unknown expectation',
      suite([{ id: 'c1', input: 1, expect: { roughly: 2 } }]),
      /^the suite is invalid: cases\.0\.expect: /,
    ],
    [
      'with a case id twice',
      suite([
        { id: 'c1', input: 1, expect: { equals: 1 } },
        { id: 'c1', input: 2, expect: { equals: 2 } },
      ]),
      /^the suite uses a case id twice$/,
    ],
  ])('refuses a suite %s, saying why', (_what, text, why) => {
    expect(parseDraftedSuite('reverse_text', text)).toMatch(why);
  });
});
