/**
 * The names an evolution's workflows share with the API: workflow and experiment ids, update
 * names, failure types. Zod-free on purpose: the workflow bundle imports it, and Temporal
 * evaluates the bundle's modules for every workflow run (domain/evolution.ts re-exports these).
 */
export const evolveWorkflowId = (evolutionId: string) => `evolve-component:${evolutionId}`;
export const abExperimentWorkflowId = (experimentId: string) => `ab-experiment:${experimentId}`;
export const rollbackWorkflowId = (component: string, version: string, requestId: string) =>
  `rollback-component:${component}:${version}:${requestId}`;
export const experimentIdFor = (evolutionId: string) => evolutionId;
/** When the current version moved before a winner could be promoted, it is re-tested against the new one. */
export const retestExperimentId = (evolutionId: string, round: number) => `${experimentIdFor(evolutionId)}.retest-${round}`;
/**
 * The one writer of a component's current version: Temporal runs at most one workflow per id. The
 * task queue names the deployment (deployments sharing a namespace have separate databases).
 */
export const currentVersionWorkflowId = (taskQueue: string, component: string) => `current-version:${taskQueue}:${component}`;
export const EVOLUTION_SWEEP_SCHEDULE_ID = 'evolution-sweep';

export const APPROVE_UPDATE = 'approveExperiment';
export const REJECT_UPDATE = 'rejectExperiment';

/** How workflow rollbackComponent refuses (ApplicationFailure types): never, or not without a person's reason. */
export const ROLLBACK_REFUSED = 'RollbackRefusedByRules';
export const ROLLBACK_NEEDS_REASON = 'RollbackNeedsReason';
