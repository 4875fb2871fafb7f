import type { Scored } from './bestMutation';
import { describeLexiconEdit, type LexiconEdit } from './lexiconInduction';
import { describeTunableChange } from './tunableMutation';

/**
 * The offline operator's choice between the winners of its two searches: a lexicon lesson
 * induced from the failing training cases, and a seeded mutation of the tunables' defaults. A
 * lesson wins a tie; the choice must beat the base version on the training cases, or there is
 * no candidate and the refusal says what was tried. Pure: the proposing activity runs the
 * searches (sandboxed), calls this, and stores the candidate.
 */
export interface OfflineSearches {
  lesson: Scored<LexiconEdit> | null;
  tuned: Scored<Record<string, number>> | null;
  /** The base version's mean score on the training cases. */
  baseScore: number;
  baseParams: Record<string, number>;
  /** The tunables the mutation search moved (none: it had nothing to move). */
  tunables: string[];
  /** How many lexicon edits were induced; null when the component keeps no LEXICON. */
  lexiconEdits: number | null;
}

export interface OfflineCandidate {
  kind: 'lexicon' | 'tunables';
  code: string;
  /** Mean score on the training cases. */
  score: number;
  /** The candidate's tunable defaults. */
  params: Record<string, number>;
  detail: string;
}

export type OfflineChoice =
  | { candidate: OfflineCandidate }
  /** `bestScore`: the best training score found, when anything was. */
  | { candidate: null; refusal: string; bestScore: number | null };

export function chooseOfflineCandidate(s: OfflineSearches): OfflineChoice {
  const { lesson, tuned } = s;
  const best: OfflineCandidate | null =
    lesson && (!tuned || lesson.score >= tuned.score)
      ? {
          kind: 'lexicon',
          code: lesson.code,
          score: lesson.score,
          params: s.baseParams,
          detail: describeLexiconEdit(lesson.change),
        }
      : tuned && {
          kind: 'tunables',
          code: tuned.code,
          score: tuned.score,
          params: tuned.change,
          detail: describeTunableChange(s.baseParams, tuned.change),
        };
  if (best && best.score > s.baseScore) return { candidate: best };
  const tried = [
    s.tunables.length ? `no mutation of ${s.tunables.join(', ')}` : null,
    s.lexiconEdits !== null ? `none of ${s.lexiconEdits} lexicon edits induced from the failing training cases` : null,
  ].filter(Boolean);
  return {
    candidate: null,
    refusal: `${tried.join(' and ')} beat the base on the training cases (base ${s.baseScore.toFixed(3)})`,
    bestScore: best?.score ?? null,
  };
}
