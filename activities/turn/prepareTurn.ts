/**
 * The local path's one activity for the four steps before the agent loop. It is typed from the
 * two modules whose steps it runs, never from the composer that registers it (turnActivities.ts),
 * so the two do not import each other.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { PreparedTurn, TurnContext, UserInput } from '../../domain/turnContracts';
import { nodeIdFor, userInputNodeId } from '../../domain/workflowContracts';
import { errorMessage } from '../nodeLifecycle';
import type { createPlanningStepActivities } from './planningSteps';
import type { createUserInputActivities } from './recordUserInput';

/** The activities `prepareTurn` runs in turn (the real ones on the worker, mocks in tests). */
export type PreparingSteps = ReturnType<typeof createUserInputActivities> & ReturnType<typeof createPlanningStepActivities>;

/** A failure of `prepareTurn`, naming the node it happened in (its one detail), retried as the original would be. */
function failedInNode(nodeId: string, err: unknown): ApplicationFailure {
  const original = err instanceof ApplicationFailure ? err : null;
  return ApplicationFailure.create({
    message: errorMessage(err),
    type: original?.type ?? undefined,
    nonRetryable: original?.nonRetryable ?? false,
    details: [nodeId],
    cause: err instanceof Error ? err : undefined,
  });
}

/**
 * The steps before the agent loop, one after the other in one activity (the local path: one
 * hand-over between the workflow and its activities instead of four): the user's message, the
 * model, the analysis and the plan, each still its own node. A failure names the node it
 * happened in, for the workflow to hang the error node under it.
 */
export async function prepareTurn(steps: PreparingSteps, input: UserInput): Promise<PreparedTurn> {
  const ctx: TurnContext = { sessionId: input.sessionId, turnId: input.turnId, workflowId: input.workflowId };
  let current = userInputNodeId(ctx.turnId);
  try {
    const userNodeId = await steps.recordUserInput(input);
    current = nodeIdFor(ctx.turnId, 'model_selector');
    const selected = await steps.selectModel(ctx, userNodeId);
    current = nodeIdFor(ctx.turnId, 'analyse');
    const analysis = await steps.analyseIntent(ctx, selected.nodeId, input.content, selected.routing, selected.settingsRev);
    current = nodeIdFor(ctx.turnId, 'plan');
    const plan = await steps.planSteps(ctx, analysis.nodeId, input.content, analysis, selected.routing, selected.settingsRev);
    return { selected, analysis, plan };
  } catch (err) {
    throw failedInNode(current, err);
  }
}
