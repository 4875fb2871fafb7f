import type { Tunable } from '../domain/manifest';
import { mutateTunables, writeTunableDefaults } from './tunableMutation';

/** A candidate file and what it changes (tunable values, a lexicon edit…). */
export interface Candidate<T> {
  change: T;
  code: string;
}

export type Scored<T> = Candidate<T> & { score: number };

export interface CandidateJudge {
  /** The candidate's score on the training cases. */
  score(code: string): Promise<number>;
  /** Whether this exact code was already judged against its parent and refused. */
  refused(code: string): Promise<boolean>;
}

/**
 * The best-scoring candidate, in the given order (the first wins a tie), leaving out any
 * already refused: its experiment would only repeat itself, and the search would never look
 * past it.
 */
export async function bestCandidate<T>(candidates: Iterable<Candidate<T>>, judge: CandidateJudge): Promise<Scored<T> | null> {
  let best: Scored<T> | null = null;
  for (const candidate of candidates) {
    if (await judge.refused(candidate.code)) continue;
    const score = await judge.score(candidate.code);
    if (!best || score > best.score) best = { ...candidate, score };
  }
  return best;
}

export interface MutationSearch extends CandidateJudge {
  code: string;
  tunables: Record<string, Tunable>;
  params: Record<string, number>;
  seed: number;
  count: number;
}

/** The offline operator's tunable search: seeded mutations of the tunables' defaults, the best one. */
export async function bestMutation(search: MutationSearch): Promise<Scored<Record<string, number>> | null> {
  const mutants = mutateTunables(search.tunables, search.params, search.seed, search.count).map((params) => ({
    change: params,
    code: writeTunableDefaults(search.code, params),
  }));
  return bestCandidate(mutants, search);
}
