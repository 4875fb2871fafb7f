import type { AnswerPrompt, PlannerFunction, PromptMessage } from '../domain/agent';
import type { ModelLabel } from '../domain/chat';
import type { TokenUsage } from '../domain/execution';

/** A function call a model made: the function's name and its arguments as JSON text. */
export interface FunctionCall {
  name: string;
  arguments: string;
}

interface StreamingModel {
  readonly label: ModelLabel;
  /**
   * Streams the answer through `onDelta`; rejects with an AbortError when `signal` aborts.
   * `onUsage` hears the call's tokens when the model knows them.
   */
  streamAnswer(
    prompt: AnswerPrompt,
    onDelta: (delta: string) => void,
    signal: AbortSignal,
    onUsage?: TokenUsageListener,
  ): Promise<string>;
}

/** The built-in model: the agent components' rules decide; it only speaks the responder's offline text. */
export interface OfflineModelClient extends StreamingModel {
  readonly kind: 'offline';
}

/** An OpenAI-compatible endpoint: the prompts come from the agent components, the model fills them. */
export interface EndpointModelClient extends StreamingModel {
  readonly kind: 'endpoint';
  /** One completion at temperature 0 (the analyser's classification prompt). */
  complete(messages: PromptMessage[]): Promise<string>;
  /**
   * Native tool calls: which of `functions` the model calls for these messages. With `forced`,
   * the model must call that function (`tool_choice` names it; a server that constrains calls by
   * the schema, like the local one, then always returns a well-formed call).
   */
  callFunctions(messages: PromptMessage[], functions: PlannerFunction[], forced?: string): Promise<FunctionCall[]>;
}

export type ModelClient = OfflineModelClient | EndpointModelClient;

/** Hears the tokens one call used (OpenAI's `usage`, or the offline model's own count). */
export type TokenUsageListener = (usage: TokenUsage) => void;

export class AbortedError extends Error {
  constructor() {
    super('generation aborted');
    this.name = 'AbortError';
  }
}
