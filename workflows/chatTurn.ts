import {
  ActivityCancellationType, CancellationScope, isCancellation, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StepOutcome } from '../domain/plan';
import type { ChatTurnInput, ChatTurnResult } from '../domain/workflowContracts';
import { failureText } from './failureText';
import { stopTurnSignal } from './signals';

/** Bookkeeping and short steps: quick, retried a few times. */
const steps = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumAttempts: 4 },
});

/** The streamed answer: heartbeats carry cancellation (stop) to it; we wait for it to save the partial text. */
const streaming = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One chat message, end to end: user_input → model_selector → analyse (agent) → plan →
 * planned steps → response (streamed) → learning. A failing step ends the turn with an
 * error node and an assistant message that says what failed; stop keeps the partial answer.
 */
export async function chatTurn(input: ChatTurnInput): Promise<ChatTurnResult> {
  const ctx = { sessionId: input.sessionId, turnId: input.turnId, workflowId: workflowInfo().workflowId };
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
