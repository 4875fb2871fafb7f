import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReplayNodeInput } from '../domain/workflowContracts';
import { ACTIVITY_PROFILES } from './activityProfiles';

const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.replayStep);

/** Re-runs one node's step with its recorded input; the result is a new node linked by a `replay` edge. */
export async function replayNode(input: ReplayNodeInput): Promise<string> {
  const ctx = { sessionId: input.sessionId, turnId: input.replayId, workflowId: workflowInfo().workflowId };
  return steps.replayRecordedNode(ctx, input.nodeId);
}
