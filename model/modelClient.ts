import type { ChatMessage, ModelLabel } from '../domain/chat';
import type { Intent, PlanStep, StepOutcome } from '../domain/plan';

/** A function the planner may call, in OpenAI function-calling terms. */
export interface PlannerTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  /** How a call to it becomes a plan step. */
  step: Pick<PlanStep, 'kind' | 'component'>;
}

export interface AnswerRequest {
  content: string;
  intent: Intent;
  history: ChatMessage[];
  outcomes: StepOutcome[];
}

/** Everything a chat turn asks of a model; the offline model and any OpenAI-compatible endpoint implement it. */
export interface ModelClient {
  readonly label: ModelLabel;
  analyse(content: string, history: ChatMessage[]): Promise<Intent>;
  plan(content: string, intent: Intent, tools: PlannerTool[]): Promise<PlanStep[]>;
  /** Streams the answer through `onDelta`; rejects with an AbortError when `signal` aborts. */
  streamAnswer(request: AnswerRequest, onDelta: (delta: string) => void, signal: AbortSignal): Promise<string>;
}

export class AbortedError extends Error {
  constructor() {
    super('generation aborted');
    this.name = 'AbortError';
  }
}
