import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RollbackComponentInput } from '../domain/evolution';

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumAttempts: 5 },
});

/** A person's rollback: the version becomes current again and is written back to its file. */
export async function rollbackComponent(input: RollbackComponentInput): Promise<{ from: string | null; to: string }> {
  return steps.rollbackVersion({
    component: input.component, version: input.version, reason: input.reason,
    by: { kind: 'rollback', detail: input.requestedBy }, experimentId: input.experimentId, key: `change:${workflowInfo().workflowId}`,
  });
}
