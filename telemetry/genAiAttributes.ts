import {
  LLM_MODEL_NAME,
  LLM_PROVIDER,
  LLM_SYSTEM,
  LLM_TOKEN_COUNT_COMPLETION,
  LLM_TOKEN_COUNT_PROMPT,
  LLM_TOKEN_COUNT_TOTAL,
} from '@arizeai/openinference-semantic-conventions';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import type { TokenUsage } from '../domain/execution';

/**
 * A model call in the two vocabularies agent-trace UIs read: the OpenTelemetry GenAI
 * conventions (gen_ai.*) and OpenInference (llm.*). Shared by every span that stands for a model
 * call (a turn's answer, an evolution's rewrite, a generation's draft) and by steps that made
 * calls of their own (the analyser's and the planner's tokens).
 */

/** The call's tokens in both vocabularies; nothing when the model reported none. */
export const tokenAttributes = (usage: TokenUsage | null | undefined): Record<string, number> =>
  usage
    ? {
        [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: usage.input_tokens,
        [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: usage.output_tokens,
        [LLM_TOKEN_COUNT_PROMPT]: usage.input_tokens,
        [LLM_TOKEN_COUNT_COMPLETION]: usage.output_tokens,
        [LLM_TOKEN_COUNT_TOTAL]: usage.input_tokens + usage.output_tokens,
      }
    : {};

/** One chat completion: who served it, which model, and its tokens. */
export const modelCallAttributes = (call: {
  provider: string;
  model: string;
  usage: TokenUsage | null | undefined;
}): Record<string, string | number> => ({
  [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
  [ATTR_GEN_AI_SYSTEM]: call.provider,
  [ATTR_GEN_AI_PROVIDER_NAME]: call.provider,
  [ATTR_GEN_AI_REQUEST_MODEL]: call.model,
  [LLM_MODEL_NAME]: call.model,
  [LLM_PROVIDER]: call.provider,
  [LLM_SYSTEM]: call.provider,
  ...tokenAttributes(call.usage),
});
