import { FAST_POLL_MS, pollDelayMs, runInWords, SLOW_POLL_MS, statusOf } from '../../web/src/generation/generationStatus';
import { isEdited, readSuiteEdit, suiteText } from '../../web/src/generation/suiteEdit';

const proposed = [
  { id: 'c0', input: { text: 'ab' }, expect: { equals: { result: 'ba' } }, holdout: false },
  { id: 'c1', input: { text: '' }, expect: { equals: { result: '' } }, holdout: true },
];

describe("a person's edit of a generated suite", () => {
  it('reads the proposed suite back unchanged, and sees an edit as one', () => {
    const read = readSuiteEdit(suiteText(proposed));
    expect(read).toEqual({ cases: proposed });
    expect(isEdited(proposed, proposed)).toBe(false);
    const edited = [...proposed, { id: 'c2', input: { text: 'x' }, expect: { equals: { result: 'x' } }, holdout: false }];
    expect(readSuiteEdit(JSON.stringify(edited))).toEqual({ cases: edited });
    expect(isEdited(edited, proposed)).toBe(true);
  });

  it('fills in holdout as the API would (false when left out)', () => {
    expect(readSuiteEdit('[{"id":"a","input":1,"expect":{"equals":1}}]')).toEqual({
      cases: [{ id: 'a', input: 1, expect: { equals: 1 }, holdout: false }],
    });
  });

  it.each([
    ['[{"id":"a",', /^not JSON: /],
    ['{"cases": []}', /^the suite is a JSON list of cases/],
    ['[]', 'the suite needs at least one case'],
    ['[{"id":"bad id!","input":1,"expect":{"equals":1}}]', /^case 1: id: /],
    ['[{"id":"a","input":1,"expect":{"nonsense":1}}]', /^case 1: expect: /],
    ['[{"id":"a","input":1,"expect":{"equals":1}},{"id":"a","input":2,"expect":{"equals":2}}]', 'case id a is used twice'],
  ])('refuses %s, saying what is wrong', (text, message) => {
    const read = readSuiteEdit(text);
    expect('error' in read).toBe(true);
    if ('error' in read) expect(read.error).toMatch(message);
  });
});

describe('where a generated tool is', () => {
  it('is its stage until decided, then the outcome', () => {
    expect(statusOf({ stage: 'awaiting_suite', decision: null })).toBe('awaiting_suite');
    expect(statusOf({ stage: 'done', decision: { outcome: 'refused', reason: 'r', decided_by: 'system', at: '' } })).toBe(
      'refused',
    );
  });

  it('is looked at again quickly while the system works or an answer is being taken, slowly while it waits, never once decided', () => {
    expect(pollDelayMs(['drafting'], false)).toBe(FAST_POLL_MS);
    expect(pollDelayMs(['promoted', 'testing'], false)).toBe(FAST_POLL_MS);
    expect(pollDelayMs(['awaiting_approval'], true)).toBe(FAST_POLL_MS);
    expect(pollDelayMs(['awaiting_suite', 'promoted'], false)).toBe(SLOW_POLL_MS);
    expect(pollDelayMs(['promoted', 'refused'], false)).toBeNull();
    expect(pollDelayMs([], false)).toBeNull();
  });

  it('says how a sandbox run went', () => {
    const c = { holdout: false, scores: [1], mean_score: 1, latencies_ms: [1], errors: 0, failure: null };
    expect(
      runInWords({
        cases: [
          { ...c, case_id: 'a', passed: true },
          { ...c, case_id: 'b', passed: false },
        ],
      }),
    ).toBe('1 of 2 cases pass');
    expect(runInWords(null)).toBe('not run');
  });
});
