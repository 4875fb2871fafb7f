import type { LexiconEdit } from '../../evolution/lexiconInduction';
import { chooseOfflineCandidate, type OfflineSearches } from '../../evolution/offlineCandidate';

const edit: LexiconEdit = { table: 'asks', entry: 'how far', words: 'how far' };
const lesson = (score: number) => ({ change: edit, code: 'lesson code', score });
const tuned = (score: number) => ({ change: { k1: 1.5, k2: 2 }, code: 'tuned code', score });
const choose = (patch: Partial<OfflineSearches>) =>
  chooseOfflineCandidate({
    lesson: null,
    tuned: null,
    baseScore: 0.5,
    baseParams: { k1: 1.2, k2: 2 },
    tunables: ['k1', 'k2'],
    lexiconEdits: 3,
    ...patch,
  });

describe("the offline operator's choice", () => {
  it('takes the better of a lesson and a mutation', () => {
    expect(choose({ lesson: lesson(0.6), tuned: tuned(0.7) })).toEqual({
      candidate: { kind: 'tunables', code: 'tuned code', score: 0.7, params: { k1: 1.5, k2: 2 }, detail: 'k1 1.2→1.5' },
    });
    expect(choose({ lesson: lesson(0.8), tuned: tuned(0.7) })).toEqual({
      candidate: {
        kind: 'lexicon',
        code: 'lesson code',
        score: 0.8,
        params: { k1: 1.2, k2: 2 },
        detail: 'LEXICON.asks: "how far" only asks',
      },
    });
  });

  it('lets a lesson win a tie, and stand alone', () => {
    expect(choose({ lesson: lesson(0.7), tuned: tuned(0.7) }).candidate?.kind).toBe('lexicon');
    expect(choose({ lesson: lesson(0.7) }).candidate?.kind).toBe('lexicon');
    expect(choose({ tuned: tuned(0.7) }).candidate?.kind).toBe('tunables');
  });

  it('proposes nothing that does not beat the base, saying what it tried and the best score found', () => {
    expect(choose({ lesson: lesson(0.5), tuned: tuned(0.4) })).toEqual({
      candidate: null,
      refusal:
        'no mutation of k1, k2 and none of 3 lexicon edits induced from the failing training cases beat the base on the training cases (base 0.500)',
      bestScore: 0.5,
    });
    expect(choose({ tunables: [], lexiconEdits: 0 })).toEqual({
      candidate: null,
      refusal: 'none of 0 lexicon edits induced from the failing training cases beat the base on the training cases (base 0.500)',
      bestScore: null,
    });
    expect(choose({ lexiconEdits: null, tuned: tuned(0.2) })).toMatchObject({
      refusal: 'no mutation of k1, k2 beat the base on the training cases (base 0.500)',
      bestScore: 0.2,
    });
  });
});
