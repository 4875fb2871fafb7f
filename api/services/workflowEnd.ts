import { WorkflowNotFoundError } from '@temporalio/client';
import type { ApiDeps } from '../deps';

/**
 * How a workflow ended, as Temporal describes it, for the records a workflow cannot write itself
 * (a terminated one, or one whose history is gone, ends without a word): the evolution reconciler
 * and the generation service both settle their records by it. Only "not found" is an answer;
 * every other error of Temporal's surfaces.
 */

/** A workflow that cannot be found is left alone this long: the API records a claim before it starts the workflow. */
const START_GRACE_MS = 60_000;

/** Null while the workflow runs (or may still start); otherwise how it ended, as Temporal says. */
export async function workflowEnd(temporal: ApiDeps['temporal'], workflowId: string, startedAt: string): Promise<string | null> {
  try {
    const { status } = await temporal.workflow.getHandle(workflowId).describe();
    return status.name === 'RUNNING' ? null : `its workflow ${workflowId} ended ${status.name.toLowerCase()}`;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // A wall-clock grace in the API (not in a workflow): how long ago the claim was made.
    return Date.now() - Date.parse(startedAt) < START_GRACE_MS ? null : `its workflow ${workflowId} was not found`;
  }
}
