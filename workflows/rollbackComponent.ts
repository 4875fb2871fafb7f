import { ApplicationFailure, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RollbackComponentInput } from '../domain/evolution';
import { ROLLBACK_NEEDS_REASON, ROLLBACK_REFUSED } from '../domain/evolutionWorkflowNames';
import { decideRollback } from '../evolution/decideRollback';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { changeCurrentVersionInTurn } from './changeCurrentVersion';

const reads = proxyActivities<Activities>(ACTIVITY_PROFILES.evolutionStep);

/** Marks rollbacks that pass the gate (a rollback started before it ran none). */
const GATED = 'rollback-gated-like-a-promotion';

/**
 * A person's rollback: the version becomes current again (whatever is current now) and is
 * written back to its file. A version that was never current passes the gate a promotion does
 * (evolution/decideRollback.ts); a refusal fails the workflow with ROLLBACK_REFUSED or
 * ROLLBACK_NEEDS_REASON, which the API answers as a 4xx.
 */
export async function rollbackComponent(input: RollbackComponentInput): Promise<{ from: string | null; to: string }> {
  const reason = input.reason ?? `rolled back to ${input.version} by ${input.requestedBy}`;
  const done = await changeCurrentVersionInTurn({
    component: input.component,
    version: input.version,
    kind: 'rollback',
    expectedCurrent: null,
    reason: patched(GATED) ? await passGate(input, reason) : reason,
    by: { kind: 'rollback', detail: input.requestedBy },
    experimentId: input.experimentId,
    key: `change:${workflowInfo().workflowId}`,
  });
  if (!done.changed) throw new Error(`rollback of ${input.component} to ${input.version} refused`);
  return { from: done.from, to: done.to };
}

/** The reason to record, once the gate lets the rollback through; throws its refusal otherwise. */
async function passGate(input: RollbackComponentInput, reason: string): Promise<string> {
  const [facts, recentAutoPromotions] = await Promise.all([
    reads.readRollbackFacts({ component: input.component, version: input.version }),
    reads.countRecentAutoPromotions(),
  ]);
  const gate = decideRollback({
    ...facts,
    component: input.component,
    version: input.version,
    recentAutoPromotions,
    personReason: input.reason,
  });
  if (!gate.allowed)
    throw ApplicationFailure.create({
      message: gate.reason,
      type: gate.refusal === 'rules' ? ROLLBACK_REFUSED : ROLLBACK_NEEDS_REASON,
      nonRetryable: true,
    });
  return facts.wasCurrent ? reason : `${reason} (${gate.rule})`;
}
