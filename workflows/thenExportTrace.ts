import { CancellationScope, patched, workflowInfo } from '@temporalio/workflow';
import type { RunEnded } from '../domain/evolutionContracts';

/**
 * Runs a workflow's body, then sends the run's trace however the body ended (`marker` is the
 * `patched()` marker of the workflow type: runs started before it send none). A trace is best
 * effort: its activity's failure never changes the run's result or its error.
 */
export async function thenExportTrace<T>(
  marker: string,
  runId: string,
  exportTrace: (run: RunEnded) => Promise<void>,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } finally {
    if (patched(marker))
      await CancellationScope.nonCancellable(() =>
        exportTrace({ id: runId, startedAt: workflowInfo().startTime.toISOString() }),
      ).catch(() => undefined);
  }
}
