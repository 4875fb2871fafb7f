import {
  CancellationScope,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChatTurnInput, ChatTurnResult } from '../domain/workflowContracts';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { runAgentLoop, type LoopProgress } from './agentLoop';
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
 * One chat message, end to end: user_input → model_selector → analyse (agent) → plan → the
 * agent loop (step → decision → step …, a failing step re-planned once) → response (streamed)
 * → learning. A turn that gives up ends with an error node and an assistant message that says
 * what failed; stop keeps the partial answer. The streamed answer is always an activity (it
 * heartbeats, and stop cancels it); the other steps run as `input.stepExecution` says.
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

  const startedAt = Date.now();
  const progress: LoopProgress = {
    lastNodeId: await steps.recordUserInput({ ...ctx, userMessageId: input.userMessageId, content: input.content }),
    runningNodeId: null,
  };
  let status: ChatTurnResult['status'] = 'completed';
  let stepCount = 0;
  try {
    const selected = await steps.selectModel(ctx, progress.lastNodeId);
    progress.lastNodeId = selected.nodeId;
    const analysis = await steps.analyseIntent(ctx, progress.lastNodeId, input.content, selected.routing);
    progress.lastNodeId = analysis.nodeId;
    const turn = {
      ctx,
      content: input.content,
      intent: analysis.intent,
      requests: analysis.requests,
      routing: selected.routing,
      startedAt,
    };
    const plan = await steps.planSteps(ctx, progress.lastNodeId, input.content, analysis, selected.routing);
    const end = await runAgentLoop(steps, turn, plan, progress, () => stopRequested);
    if (end.kind === 'stopped') {
      status = 'stopped';
      await steps.reportStoppedEarly(ctx);
    } else if (end.kind === 'give_up') {
      status = 'failed';
      stepCount = end.succeeded;
      progress.lastNodeId = await steps.reportFailure(ctx, end.failedNodeId, end.error, progress.lastNodeId);
    } else {
      stepCount = end.outcomes.length;
      progress.runningNodeId = `${input.turnId}:response`;
      const response = await answerScope.run(() =>
        streaming.streamResponse({
          ctx,
          parentId: progress.lastNodeId,
          content: input.content,
          intent: analysis.intent,
          outcomes: end.outcomes,
          routing: selected.routing,
        }),
      );
      progress.runningNodeId = null;
      progress.lastNodeId = response.nodeId;
    }
  } catch (err) {
    if (isCancellation(err) && stopRequested) {
      status = 'stopped';
      progress.lastNodeId = `${input.turnId}:response`;
    } else {
      status = 'failed';
      progress.lastNodeId = await steps.reportFailure(ctx, progress.runningNodeId ?? progress.lastNodeId, failureText(err));
    }
  }
  await steps.recordLearning(ctx, progress.lastNodeId, status, stepCount);
  return { status, assistantMessageId: `${input.turnId}:assistant` };
}
