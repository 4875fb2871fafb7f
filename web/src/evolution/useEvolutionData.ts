/** Components (with versions) and experiments, fetched again whenever a meta event says they changed. */
import { COMPONENTS_QUERY, EXPERIMENTS_QUERY, type ComponentsResult, type ExperimentsResult } from '../api/evolutionDocuments';
import { useMetaRefreshedQuery } from '../state/useMetaStream';

/** Meta events after which the version lineage may differ. */
const LINEAGE_EVENTS = [
  'component_generated',
  'component_modified',
  'version_promoted',
  'version_rolled_back',
  'experiment_decided',
  'learning_iteration',
  'experiment_started',
];
/** Meta events after which an experiment's status or results may differ. */
const EXPERIMENT_EVENTS = [
  'experiment_started',
  'learning_iteration',
  'experiment_decided',
  'version_promoted',
  'version_rolled_back',
];

export function useComponents() {
  const [result, refetch] = useMetaRefreshedQuery<ComponentsResult>(COMPONENTS_QUERY, ...LINEAGE_EVENTS);
  return { components: result.data?.components ?? null, error: result.error?.message ?? null, refetch };
}

export function useExperiments() {
  const [result] = useMetaRefreshedQuery<ExperimentsResult>(EXPERIMENTS_QUERY, ...EXPERIMENT_EVENTS);
  return { experiments: result.data?.experiments ?? null, error: result.error?.message ?? null };
}

export const pendingApprovals = <E extends { status: string }>(experiments: readonly E[] | null) =>
  (experiments ?? []).filter((e) => e.status === 'awaiting_approval');
