import type { Db } from 'mongodb';
import type { ExperimentRecord } from '../domain/evolution';
import { evolutionCollections } from './evolutionStore';

/** How experiments ended, for /metrics: each figure only ever grows, as a Prometheus counter must. */
export interface ExperimentTallies {
  /** Decided experiments by the decision's outcome, and failed ones under `failed`. */
  byOutcome: Record<string, number>;
  /** Promotions by who decided: `system` or `person`. */
  promotionsBy: Record<'system' | 'person', number>;
  rollbacks: number;
}

type Facts = Pick<ExperimentRecord, 'status' | 'decision' | 'rolled_back'>;

export function tallyExperiments(experiments: Facts[]): ExperimentTallies {
  const tallies: ExperimentTallies = { byOutcome: {}, promotionsBy: { system: 0, person: 0 }, rollbacks: 0 };
  for (const e of experiments) {
    // A pending decision (awaiting approval) is not an outcome yet: counted once it has one.
    const outcome = e.status === 'failed' ? 'failed' : e.decision?.outcome !== 'pending' ? e.decision?.outcome : undefined;
    if (outcome) tallies.byOutcome[outcome] = (tallies.byOutcome[outcome] ?? 0) + 1;
    if (e.decision?.outcome === 'promoted') tallies.promotionsBy[e.decision.decided_by === 'system' ? 'system' : 'person']++;
    if (e.rolled_back) tallies.rollbacks++;
  }
  return tallies;
}

/** One scan of the experiments (a small collection: one document per experiment) with a narrow projection. */
export async function readExperimentTallies(db: Db): Promise<ExperimentTallies> {
  const experiments = await evolutionCollections(db)
    .experiments.find({}, { projection: { _id: 0, status: 1, decision: 1, rolled_back: 1 } })
    .toArray();
  return tallyExperiments(experiments);
}
