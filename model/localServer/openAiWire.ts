/**
 * The subset of OpenAI's chat-completions wire format the local model server speaks:
 * the request it accepts (validated; unknown fields ignored, as OpenAI-compatible servers
 * do) and the response and stream chunk shapes it writes.
 */
import { z } from 'zod';

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
/** A message's content: a string, or text parts (other part types cannot be read by a text model). */
const Content = z.union([z.string(), z.array(TextPart)]);

const ToolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});
export type WireToolCall = z.infer<typeof ToolCall>;

export const WireMessage = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: Content }),
  z.object({ role: z.literal('user'), content: Content }),
  z.object({ role: z.literal('assistant'), content: Content.nullish(), tool_calls: z.array(ToolCall).optional() }),
  z.object({ role: z.literal('tool'), content: Content, tool_call_id: z.string() }),
]);
export type WireMessage = z.infer<typeof WireMessage>;

export const WireTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a function name is 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type WireTool = z.infer<typeof WireTool>;

const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);
export type WireToolChoice = z.infer<typeof ToolChoice>;

export const ChatCompletionRequest = z.object({
  model: z.string().min(1),
  messages: z.array(WireMessage).min(1),
  tools: z.array(WireTool).optional(),
  tool_choice: ToolChoice.optional(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  n: z.literal(1, { message: 'this server generates one choice (n must be 1)' }).nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const textOf = (content: z.infer<typeof Content> | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('');

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One finished generation, in the server's terms. */
export interface Generated {
  content: string | null;
  toolCalls: WireToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

export interface CompletionIds {
  id: string;
  created: number;
  model: string;
}

export function completionBody(ids: CompletionIds, generated: Generated) {
  return {
    id: ids.id,
    object: 'chat.completion' as const,
    created: ids.created,
    model: ids.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: generated.content,
          refusal: null,
          ...(generated.toolCalls.length > 0 ? { tool_calls: generated.toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: generated.finishReason,
      },
    ],
    usage: generated.usage,
  };
}

interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}
type Delta = { role?: 'assistant'; content?: string; tool_calls?: ToolCallDelta[] };

export function chunkBody(ids: CompletionIds, delta: Delta, finishReason: FinishReason | null = null) {
  return {
    id: ids.id,
    object: 'chat.completion.chunk' as const,
    created: ids.created,
    model: ids.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The last chunk when the client asked for `stream_options.include_usage`: no choices, only usage. */
export const usageChunkBody = (ids: CompletionIds, usage: Usage) => ({
  id: ids.id,
  object: 'chat.completion.chunk' as const,
  created: ids.created,
  model: ids.model,
  system_fingerprint: null,
  choices: [],
  usage,
});

/** The stream's chunks for tool calls: each call's id and name first, then its arguments, as OpenAI sends them. */
export function toolCallDeltas(calls: WireToolCall[]): Delta[] {
  return calls.flatMap((call, index) => [
    { tool_calls: [{ index, id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: '' } }] },
    { tool_calls: [{ index, function: { arguments: call.function.arguments } }] },
  ]);
}

export const sseData = (body: unknown): string => `data: ${JSON.stringify(body)}\n\n`;
export const SSE_DONE = 'data: [DONE]\n\n';

export type ErrorType = 'invalid_request_error' | 'not_found_error' | 'permission_error' | 'server_error';

/** OpenAI's error body, which the official clients turn into typed errors. */
export const errorBody = (message: string, type: ErrorType, code: string | null = null, param: string | null = null) => ({
  error: { message, type, param, code },
});
