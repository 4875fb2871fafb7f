/**
 * What crosses the chat turn's workflow ↔ activity boundary: the inputs and results of the
 * activities that chatTurn, its agent loop and replayNode call. Temporal serialises each of them
 * into the workflow's history, so they are plain data, and a field added later must be optional
 * (a running turn replays against what it recorded). Types only, no Node built-ins: workflows
 * import it.
 */
import type { AnalysedRequest, LoopDecision, ModelRouting } from './agent';
import type { ModelLabel } from './chat';
import type { Intent, PlanStep, StepOutcome } from './plan';

/** Who is running: the chat turn (or replay) a step belongs to. */
export interface TurnContext {
  sessionId: string;
  turnId: string;
  workflowId: string;
}

/** The person's message that starts a turn (recordUserInput, prepareTurn). */
export interface UserInput extends TurnContext {
  userMessageId: string;
  content: string;
  /**
   * When the turn started (ISO), by the workflow's clock: the turn is recorded started then, so the
   * workflow knows it and a retried step records the same. Absent in turns started before it: the
   * step's own clock.
   */
  startedAt?: string;
}

/** What the workflow knows of its turn as recorded (its start and its model), so its last step need not read the turn. */
export interface KnownTurn {
  startedAt: string;
  model: ModelLabel;
}

/** selectModel's result: its node, the turn's default model and the model of each intent's route. */
export interface SelectedModel {
  nodeId: string;
  model: ModelLabel;
  routing: ModelRouting;
  /**
   * The model settings revision the turn runs with (0: the environment's), taken once by
   * selectModel, so a settings change applies from the next turn. Absent in turns started before
   * it: their steps read the newest settings.
   */
  settingsRev?: number;
}

/** The analyser's reading of the message, as the rest of the turn uses it. */
export interface TurnAnalysis {
  nodeId: string;
  intent: Intent;
  requests: AnalysedRequest[];
}

/** A plan node and the steps it planned (planSteps, and the first half of replanSteps' result). */
export interface PlannedSteps {
  nodeId: string;
  steps: PlanStep[];
}

/** The steps before the agent loop, as `prepareTurn` returns them. */
export interface PreparedTurn {
  selected: SelectedModel;
  analysis: TurnAnalysis;
  plan: PlannedSteps;
}

/** A step's outcome as the planner sees it: a failure already re-planned is marked. */
export interface Observation extends StepOutcome {
  step: PlanStep;
  replanned: boolean;
}

/** runPlanStep's result: the step's node and what the step returned (a refusal is an outcome, not a failure). */
export interface StepRun {
  nodeId: string;
  outcome: StepOutcome;
}

/** The bound a turn reached, if any. */
export type Exhausted = 'steps' | 'time' | null;

/** What decideNext decides on: the steps so far, what is left and which bound the turn reached. */
export interface DecideInput {
  observations: Observation[];
  pending: number;
  replans: number;
  exhausted: Exhausted;
}

/** decideNext's result: the decision and the node that records it. */
export type DecisionMade = LoopDecision & { nodeId: string };

/** What a re-plan needs: the turn's reading, its models and what the steps so far returned. */
export interface ReplanInput {
  content: string;
  intent: Intent;
  requests: AnalysedRequest[];
  routing: ModelRouting;
  /** The turn's model settings revision (SelectedModel.settingsRev). */
  settingsRev?: number;
  observations: Observation[];
  /** Number of the first new step. */
  nextStep: number;
}

/** replanSteps' result: the new plan node, its steps and why. */
export interface Replanned extends PlannedSteps {
  reason: string;
}

/** What streamResponse answers from. */
export interface ResponseRequest {
  ctx: TurnContext;
  parentId: string;
  content: string;
  intent: Intent;
  outcomes: StepOutcome[];
  routing: ModelRouting;
  /** The turn's model settings revision (SelectedModel.settingsRev). */
  settingsRev?: number;
  /** Also record the turn's learning step once the answer is complete (saves the workflow a round trip for it). */
  learnAfter?: { stepCount: number; turn?: KnownTurn };
}

export interface ResponseResult {
  messageId: string;
  nodeId: string;
  stopped: boolean;
  /** The learning step was recorded too (`learnAfter`): the turn is finished. */
  learned: boolean;
}
