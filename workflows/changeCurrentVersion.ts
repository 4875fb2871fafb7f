import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, sleep, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CurrentVersionChange, CurrentVersionChangeResult } from '../domain/evolution';
import { currentVersionWorkflowId } from '../domain/evolutionWorkflowNames';
import { ACTIVITY_PROFILES } from './activityProfiles';

/**
 * The one writer of a component's current version.
 *
 * Two evolutions of one component can decide at the same moment; "promote if the base is still
 * current" must then let exactly one of them through. The embedded database cannot guard it:
 * FerretDB v1 loses concurrent updates to one document and its compare-and-set is not atomic;
 * only inserts with a unique key are. An insert-only promotion record keyed by (component,
 * base) would make exactly one promotion per base succeed, but the writes that follow it (the
 * component's current version, its file on disk, the event) could still land out of order
 * between two successive promotions, leaving the file at a version the store no longer calls
 * current. So every change of a current version (promotion, watch-window rollback, a person's
 * rollback) runs in this workflow, whose id is the component's: Temporal runs at most one
 * workflow per id, so changes of one component run one at a time, each a check and a write in
 * one activity, while other components change in parallel. An edit of the file from outside
 * is the one change that does not pass here (the file watcher records what it finds).
 */
const writes = proxyActivities<Activities>(ACTIVITY_PROFILES.versionChange);

export async function changeCurrentVersion(change: CurrentVersionChange): Promise<CurrentVersionChangeResult> {
  return writes.changeCurrentVersion(change);
}

/** How long a change waits for the component's writer to be free before it fails. */
const MAX_WAIT_MS = 10 * 60_000;

/**
 * Runs the change in the component's writer, waiting while another change of the same component
 * runs there. Abandoned if the caller is cancelled: a change that started always finishes.
 */
export async function changeCurrentVersionInTurn(change: CurrentVersionChange): Promise<CurrentVersionChangeResult> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const writer = await startChild(changeCurrentVersion, {
        workflowId: currentVersionWorkflowId(workflowInfo().taskQueue, change.component),
        args: [change],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      return await writer.result();
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || waited >= MAX_WAIT_MS) throw err;
      // Busy: another change of this component runs now (they take well under a second).
      const pause = Math.min(5_000, 250 * 2 ** attempt);
      await sleep(pause);
      waited += pause;
    }
  }
}
