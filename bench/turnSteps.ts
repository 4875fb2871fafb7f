import { performance } from 'node:perf_hooks';
import { CHAT_TURN_REVISION, chatTurnWorkflowId, ChatTurnInput, TurnStepExecution } from '../domain/workflowContracts';
import { collections } from '../store/collections';
import { api } from '../harness/client';
import type { TestStack } from '../harness/stack';
import { stats } from './stats';

const TURNS_PER_PATH = 30;
const CONTENT = 'what is 6*7+1';

interface TurnTiming {
  wallMs: number;
  /** Wall time not spent inside a step (sum of the nodes' own durations): scheduling and hand-overs. */
  betweenStepsMs: number;
}

/** One offline chat turn, started on Temporal directly and timed to the workflow's result (no polling). */
async function timeTurn(stack: TestStack, sessionId: string, n: number, stepExecution: TurnStepExecution): Promise<TurnTiming> {
  const messageId = `m-bench-${stepExecution}-${n}`;
  const input: ChatTurnInput = {
    sessionId,
    turnId: `${sessionId}:${messageId}`,
    userMessageId: messageId,
    content: CONTENT,
    stepExecution,
    revision: CHAT_TURN_REVISION, // as the API starts turns
  };
  const started = performance.now();
  const handle = await stack.temporal.workflow.start('chatTurn', {
    taskQueue: stack.env.EVOSCOPE_TASK_QUEUE,
    workflowId: chatTurnWorkflowId(sessionId, messageId),
    args: [input],
  });
  const result = await handle.result();
  const wallMs = performance.now() - started;
  if (result.status !== 'completed') throw new Error(`bench turn ${messageId} ended ${result.status}`);
  const nodes = await collections(stack.mongo.db).nodes.find({ turn_id: input.turnId }).toArray();
  const inSteps = nodes.reduce((total, node) => total + (node.duration_ms ?? 0), 0);
  return { wallMs, betweenStepsMs: wallMs - inSteps };
}

/**
 * The same offline turn through both step executions (each short step its own activity task, as
 * before issue 12, against local activities), alternated turn by turn in one run so both see the
 * same machine load. The ratio is what to compare across days; absolute times swing 2–3×.
 */
export async function turnStepExecutions(stack: TestStack) {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'bench step executions' })).body;
  const samples: Record<TurnStepExecution, TurnTiming[]> = { activities: [], local: [] };
  await timeTurn(stack, session.id, -1, 'local'); // warm-up: bundle, sandbox, caches
  for (let i = 0; i < TURNS_PER_PATH; i++) {
    for (const mode of ['activities', 'local'] as const) samples[mode].push(await timeTurn(stack, session.id, i, mode));
  }
  const figures = (mode: TurnStepExecution) => ({
    ...stats(samples[mode].map((t) => t.wallMs)),
    between_steps: stats(samples[mode].map((t) => t.betweenStepsMs)),
  });
  const activities = figures('activities');
  const local = figures('local');
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  return {
    content: CONTENT,
    activities,
    local,
    local_over_activities_p50: ratio(local.p50_ms, activities.p50_ms),
    local_over_activities_p99: ratio(local.p99_ms, activities.p99_ms),
    /** The same for the time between steps only (what moving steps off the task queue can save). */
    between_steps_local_over_activities_p50: ratio(local.between_steps.p50_ms, activities.between_steps.p50_ms),
  };
}
