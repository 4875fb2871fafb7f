import type { Activities } from '../activities';
import type { AnalysedRequest, ModelRouting } from '../domain/agent';
import type { Intent, StepOutcome } from '../domain/plan';
import type { Observation, PlannedSteps, TurnContext } from '../domain/turnContracts';

/** Steps one turn may run, re-planned ones included. */
export const STEP_LIMIT = 8;
/** Decisions one turn may make: bounds a planner that keeps re-planning into empty plans. */
const DECISION_LIMIT = 2 * STEP_LIMIT;
/** Workflow time a turn's loop may take from the turn's start (deterministic: Temporal's clock). */
const TIME_BUDGET_MS = 3 * 60_000;

export type LoopActivities = Pick<Activities, 'runPlanStep' | 'decideNext' | 'replanSteps'>;

export interface LoopTurn {
  ctx: TurnContext;
  content: string;
  intent: Intent;
  requests: AnalysedRequest[];
  routing: ModelRouting;
  /** The turn's model settings revision (SelectedModel.settingsRev). */
  settingsRev?: number;
  /** Workflow time the turn started at. */
  startedAt: number;
}

/** Where the loop is: the node the next one hangs under, and the one running now (an error goes under it). */
export interface LoopProgress {
  lastNodeId: string;
  runningNodeId: string | null;
}

export type LoopEnd =
  | { kind: 'answer'; outcomes: StepOutcome[] }
  | { kind: 'give_up'; failedNodeId: string; error: string; succeeded: number }
  | { kind: 'stopped' };

/**
 * plan → step → observe → decide (continue, re-plan, answer, give up), bounded by the step
 * limit, the decision limit and the time budget. Each decision is a `decision` node, each
 * re-plan a plan node linked to its decision by a `replan` edge; steps chain after the
 * decision that let them run. Deterministic: every choice is an activity's recorded result.
 */
export async function runAgentLoop(
  acts: LoopActivities,
  turn: LoopTurn,
  firstPlan: PlannedSteps,
  progress: LoopProgress,
  isStopped: () => boolean,
): Promise<LoopEnd> {
  const queue = [...firstPlan.steps];
  const observations: Observation[] = [];
  const stepNodes = new Map<string, string>();
  /** A failed step → the steps its re-plan put in its place. */
  const replacements = new Map<string, string[]>();
  let stepsMade = queue.length;
  let replans = 0;
  let decisions = 0;
  progress.lastNodeId = firstPlan.nodeId;
  if (queue.length === 0) return { kind: 'answer', outcomes: [] };

  for (;;) {
    if (queue.length > 0) {
      if (isStopped()) return { kind: 'stopped' };
      const step = queue.shift()!;
      progress.runningNodeId = `${turn.ctx.turnId}:${step.id}`;
      const done = await acts.runPlanStep(turn.ctx, progress.lastNodeId, step);
      progress.runningNodeId = null;
      observations.push({ ...done.outcome, step, replanned: false });
      stepNodes.set(step.id, done.nodeId);
      progress.lastNodeId = done.nodeId;
    }
    if (isStopped()) return { kind: 'stopped' };

    decisions += 1;
    const exhausted =
      observations.length >= STEP_LIMIT || decisions >= DECISION_LIMIT
        ? 'steps'
        : Date.now() - turn.startedAt >= TIME_BUDGET_MS
          ? 'time'
          : null;
    const decision = await acts.decideNext(
      turn.ctx,
      progress.lastNodeId,
      { observations, pending: queue.length, replans, exhausted },
      decisions,
    );
    progress.lastNodeId = decision.nodeId;

    if (decision.action === 'continue' && queue.length > 0) continue;
    if (decision.action === 'replan') {
      replans += 1;
      const failed = observations.at(-1)!;
      failed.replanned = true;
      const replanned = await acts.replanSteps(
        turn.ctx,
        decision.nodeId,
        {
          content: turn.content,
          intent: turn.intent,
          requests: turn.requests,
          routing: turn.routing,
          settingsRev: turn.settingsRev,
          observations,
          nextStep: stepsMade + 1,
        },
        replans,
      );
      stepsMade += replanned.steps.length;
      replacements.set(
        failed.stepId,
        replanned.steps.map((s) => s.id),
      );
      queue.unshift(...replanned.steps);
      progress.lastNodeId = replanned.nodeId;
      continue;
    }
    if (decision.action === 'give_up') {
      const failed = [...observations].reverse().find((o) => !o.ok);
      // A planner that gives up with nothing failed still ends the turn, under its decision.
      return {
        kind: 'give_up',
        failedNodeId: failed ? stepNodes.get(failed.stepId)! : decision.nodeId,
        error: failed?.error ?? decision.reason,
        succeeded: observations.filter((o) => o.ok).length,
      };
    }
    // answer (or a "continue" with nothing left to run)
    return { kind: 'answer', outcomes: answerOutcomes(observations, replacements) };
  }
}

/** What the answer reports: every step, except a failure whose re-planned replacement succeeded. */
function answerOutcomes(observations: Observation[], replacements: Map<string, string[]>): StepOutcome[] {
  const succeeded = new Set(observations.filter((o) => o.ok).map((o) => o.stepId));
  const repaired = (stepId: string): boolean => (replacements.get(stepId) ?? []).some((id) => succeeded.has(id) || repaired(id));
  return observations
    .filter((o) => o.ok || !repaired(o.stepId))
    .map(({ stepId, kind, component, ok, output, error }) => ({ stepId, kind, component, ok, output, error }));
}
