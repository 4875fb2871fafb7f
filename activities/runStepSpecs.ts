import { Context } from '@temporalio/activity';
import type { Db } from 'mongodb';
import { getExperiment } from '../store/evolutionStore';
import type { StepSpec } from '../telemetry/runStepTrace';

/**
 * Which run's trace an activity's step belongs to (telemetry/runStepTrace.ts). A run is named by
 * its workflow id; an experiment's arms, its verdict and a promotion run in workflows of their
 * own (the A/B child, the component's writer), so they find their evolution through the
 * experiment, which records the evolution's workflow id.
 */

/** `step` of the workflow the current activity runs for (an evolution, a generation); null outside a workflow. */
export function stepOfThisRun(step: Omit<StepSpec, 'runId'>): StepSpec | null {
  const runId = Context.current().info.workflowExecution?.workflowId;
  return runId ? { runId, ...step } : null;
}

/** `step` of the evolution the experiment belongs to; null for an experiment not stored. */
export async function stepOfExperiment(db: Db, experimentId: string, step: Omit<StepSpec, 'runId'>): Promise<StepSpec | null> {
  const experiment = await getExperiment(db, experimentId);
  return experiment ? { runId: experiment.workflow_id, ...step } : null;
}

/** The key of an experiment's own step: its arms and its verdict are parts of it. */
export const experimentKey = (experimentId: string) => `experiment:${experimentId}`;
