import {
  CancellationScope, isCancellation, proxyActivities, proxyLocalActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StepOutcome } from '../domain/plan';
import type { ChatTurnInput, ChatTurnResult } from '../domain/workflowContracts';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { failureText } from './failureText';
import { stopTurnSignal } from './signals';

/**
 * The short steps as local activities: run by the worker that runs this turn, with no task-queue
 * round trip each (~55 ms apiece on the dev server). A local activity can run again if the
 * workflow task that ran it fails before its result is recorded; every step is idempotent
 * (nodes and events keyed by turn and step, a finished node returns its stored output).
 */
const localSteps = proxyLocalActivities<Activities>(ACTIVITY_PROFILES.chatStep);
const remoteSteps = proxyActivities<Activities>(ACTIVITY_PROFILES.chatStep);

const streaming = proxyActivities<Activities>(ACTIVITY_PROFILES.streamedAnswer);

/**
 * One chat message, end to end: user_input → model_selector → analyse (agent) → plan →
 * planned steps → response (streamed) → learning. A failing step ends the turn with an
 * error node and an assistant message that says what failed; stop keeps the partial answer.
 * The streamed answer is always an activity (it heartbeats, and stop cancels it); the other
 * steps run as `input.stepExecution` says.
 */
export async function chatTurn(input: ChatTurnInput): Promise<ChatTurnResult> {
  const ctx = { sessionId: input.sessionId, turnId: input.turnId, workflowId: workflowInfo().workflowId };
  const steps = (input.stepExecution ?? 'activities') === 'local' ? localSteps : remoteSteps;
  const answerScope = new CancellationScope();
  let stopRequested = false;
  setHandler(stopTurnSignal, () => {
    stopRequested = true;
    answerScope.cancel();
  });

  let lastNodeId = await steps.recordUserInput({ ...ctx, userMessageId: input.userMessageId, content: input.content });
  let status: ChatTurnResult['status'] = 'completed';
  const outcomes: StepOutcome[] = [];
  let failedNodeId: string | null = null;
  try {
    const selected = await steps.selectModel(ctx, lastNodeId);
    lastNodeId = selected.nodeId;
    const analysis = await steps.analyseIntent(ctx, lastNodeId, input.content, selected.routing);
    lastNodeId = analysis.nodeId;
    const plan = await steps.planSteps(ctx, lastNodeId, input.content, analysis, selected.routing);
    lastNodeId = plan.nodeId;
    const stepNodeIds: string[] = [];
    for (const step of plan.steps) {
      if (stopRequested) break;
      failedNodeId = `${input.turnId}:${step.id}`;
      const done = await steps.runPlanStep(ctx, plan.nodeId, step);
      failedNodeId = null;
      stepNodeIds.push(done.nodeId);
      outcomes.push(done.outcome);
    }
    if (stopRequested) {
      status = 'stopped';
      await steps.reportStoppedEarly(ctx);
    } else {
      failedNodeId = `${input.turnId}:response`;
      const response = await answerScope.run(() =>
        streaming.streamResponse({ ctx, parentId: plan.nodeId, stepNodeIds, content: input.content, intent: analysis.intent, outcomes, routing: selected.routing }),
      );
      failedNodeId = null;
      lastNodeId = response.nodeId;
    }
  } catch (err) {
    if (isCancellation(err) && stopRequested) {
      status = 'stopped';
      lastNodeId = `${input.turnId}:response`;
    } else {
      status = 'failed';
      lastNodeId = await steps.reportFailure(ctx, failedNodeId ?? lastNodeId, failureText(err));
    }
  }
  await steps.recordLearning(ctx, lastNodeId, status, outcomes.length);
  return { status, assistantMessageId: `${input.turnId}:assistant` };
}
