import { workflowInfo } from '@temporalio/workflow';
import type { RollbackComponentInput } from '../domain/evolution';
import { changeCurrentVersionInTurn } from './changeCurrentVersion';

/** A person's rollback: the version becomes current again (whatever is current now) and is written back to its file. */
export async function rollbackComponent(input: RollbackComponentInput): Promise<{ from: string | null; to: string }> {
  const done = await changeCurrentVersionInTurn({
    component: input.component,
    version: input.version,
    kind: 'rollback',
    expectedCurrent: null,
    reason: input.reason,
    by: { kind: 'rollback', detail: input.requestedBy },
    experimentId: input.experimentId,
    key: `change:${workflowInfo().workflowId}`,
  });
  if (!done.changed) throw new Error(`rollback of ${input.component} to ${input.version} refused`);
  return { from: done.from, to: done.to };
}
