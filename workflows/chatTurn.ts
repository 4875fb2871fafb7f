import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { KnownTurn, PreparedTurn, TurnContext } from '../domain/turnContracts';
import { userInputNodeId, type ChatTurnInput, type ChatTurnResult } from '../domain/workflowContracts';
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
 * The workflow's changes, each taken by a turn whose input says its revision or a later one, and
 * asked of `patched()` by a turn started without a revision (before the API said one), as it was
 * when that turn ran.
 * - `fused-local-turn` (1): the local path in four activity calls fewer: the four steps before the
 *   loop as one (`prepareTurn`), the learning step inside the streamed answer. Turns before it
 *   replay the step-by-step sequence they recorded.
 * - `turn-start-known` (2): the turn is recorded started at the workflow's start time, which the
 *   workflow then tells its learning step with the model it selected, so that step reads no turn.
 *   Turns before it recorded their start by the step's clock: their learning step reads it.
 */
const CHANGES = {
  fusedLocalTurn: { patch: 'fused-local-turn', revision: 1 },
  startKnown: { patch: 'turn-start-known', revision: 2 },
} as const;

const takes = (input: ChatTurnInput, change: (typeof CHANGES)[keyof typeof CHANGES]): boolean =>
  (input.revision ?? 0) >= change.revision || patched(change.patch);

/** The node a failed `prepareTurn` failed in: the one detail of its failure, wherever that sits in the cause chain. */
function failedNodeOf(err: unknown): string | null {
  for (let e = err; e instanceof Error; e = e.cause) {
    const [nodeId] = e instanceof ApplicationFailure ? (e.details ?? []) : [];
    if (typeof nodeId === 'string') return nodeId;
  }
  return null;
}

/**
 * One chat message, end to end: user_input → model_selector → analyse (agent) → plan → the
 * agent loop (step → decision → step …, a failing step re-planned once) → response (streamed)
 * → learning. A turn that gives up ends with an error node and an assistant message that says
 * what failed; stop keeps the partial answer. The streamed answer is always an activity (it
 * heartbeats, and stop cancels it); the other steps run as `input.stepExecution` says: each its
 * own activity, or as local activities, fused where no decision of the workflow lies between.
 */
export async function chatTurn(input: ChatTurnInput): Promise<ChatTurnResult> {
  const ctx = { sessionId: input.sessionId, turnId: input.turnId, workflowId: workflowInfo().workflowId };
  const local = (input.stepExecution ?? 'activities') === 'local';
  const steps = local ? localSteps : remoteSteps;
  const fused = local && takes(input, CHANGES.fusedLocalTurn);
  const startKnown = takes(input, CHANGES.startKnown);
  const answerScope = new CancellationScope();
  let stopRequested = false;
  setHandler(stopTurnSignal, () => {
    stopRequested = true;
    answerScope.cancel();
  });

  const startedAt = Date.now();
  const startedAtIso = startKnown ? new Date(startedAt).toISOString() : undefined;
  const userInput = { ...ctx, userMessageId: input.userMessageId, content: input.content, startedAt: startedAtIso };
  const progress: LoopProgress = {
    lastNodeId: fused ? userInputNodeId(input.turnId) : await steps.recordUserInput(userInput),
    runningNodeId: null,
  };
  let status: ChatTurnResult['status'] = 'completed';
  let stepCount = 0;
  let learned = false;
  let known: KnownTurn | undefined;
  try {
    const { selected, analysis, plan } = fused
      ? await steps.prepareTurn(userInput).catch((err: unknown) => {
          progress.runningNodeId = failedNodeOf(err);
          throw err;
        })
      : await prepareStepByStep(steps, ctx, input.content, progress);
    if (startedAtIso) known = { startedAt: startedAtIso, model: selected.model };
    const turn = {
      ctx,
      content: input.content,
      intent: analysis.intent,
      requests: analysis.requests,
      routing: selected.routing,
      settingsRev: selected.settingsRev,
      startedAt,
    };
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
          settingsRev: selected.settingsRev,
          ...(fused ? { learnAfter: { stepCount, turn: known } } : {}),
        }),
      );
      progress.runningNodeId = null;
      progress.lastNodeId = response.nodeId;
      learned = response.learned;
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
  if (!learned) await steps.recordLearning(ctx, progress.lastNodeId, status, stepCount, known);
  return { status, assistantMessageId: `${input.turnId}:assistant` };
}

/** The steps before the loop, one activity each: the `activities` path, and local turns started before `fused-local-turn`. */
async function prepareStepByStep(
  steps: typeof localSteps,
  ctx: TurnContext,
  content: string,
  progress: LoopProgress,
): Promise<PreparedTurn> {
  const selected = await steps.selectModel(ctx, progress.lastNodeId);
  progress.lastNodeId = selected.nodeId;
  const analysis = await steps.analyseIntent(ctx, progress.lastNodeId, content, selected.routing, selected.settingsRev);
  progress.lastNodeId = analysis.nodeId;
  const plan = await steps.planSteps(ctx, progress.lastNodeId, content, analysis, selected.routing, selected.settingsRev);
  return { selected, analysis, plan };
}
