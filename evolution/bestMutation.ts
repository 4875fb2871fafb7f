import type { Tunable } from '../domain/manifest';
import { mutateTunables, writeTunableDefaults } from './tunableMutation';

export interface ScoredMutation {
  params: Record<string, number>;
  code: string;
  score: number;
}

export interface MutationSearch {
  code: string;
  tunables: Record<string, Tunable>;
  params: Record<string, number>;
  seed: number;
  count: number;
  /** The mutant's score on the training cases. */
  score(code: string): Promise<number>;
  /** Whether this exact code was already judged against its parent and refused. */
  refused(code: string): Promise<boolean>;
}

/**
 * The offline operator's search: seeded mutations of the tunables' defaults, each scored; the
 * best one, leaving out any already refused (its experiment would only repeat itself, and the
 * search would never look past it).
 */
export async function bestMutation(search: MutationSearch): Promise<ScoredMutation | null> {
  let best: ScoredMutation | null = null;
  for (const params of mutateTunables(search.tunables, search.params, search.seed, search.count)) {
    const code = writeTunableDefaults(search.code, params);
    if (await search.refused(code)) continue;
    const score = await search.score(code);
    if (!best || score > best.score) best = { params, code, score };
  }
  return best;
}
