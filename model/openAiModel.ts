import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { PromptMessage } from '../domain/agent';
import type { ModelLabel } from '../domain/chat';
import { TokenUsage } from '../domain/execution';
import type { CompletionUsage } from 'openai/resources/completions';
import { AbortedError, EndpointModelClient, type TokenUsageListener } from './modelClient';
import { rethrowModelError } from './modelRefusal';

export interface OpenAiSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
}

/** The components' prompt messages in the client's own types (tool calls and results included). */
const toOpenAi = (messages: PromptMessage[]): ChatCompletionMessageParam[] =>
  messages.map((m): ChatCompletionMessageParam => {
    if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.tool_call_id ?? '' };
    if (m.role === 'assistant')
      return m.tool_calls?.length
        ? { role: 'assistant', content: m.content || null, tool_calls: m.tool_calls }
        : { role: 'assistant', content: m.content };
    return { role: m.role, content: m.content };
  });

/** The official client for an OpenAI-compatible endpoint, with its own retries off: Temporal owns retries. */
export const openAiClient = (settings: OpenAiSettings, timeoutMs = 120_000) =>
  new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey || 'not-needed', maxRetries: 0, timeout: timeoutMs });

/**
 * Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp) through the official client.
 * The prompts are the agent components' data. A refusal (wrong key or model) fails at once;
 * other errors are Temporal's to retry. `onUsage` hears the tokens of every call the endpoint reports; a streamed answer's `onUsage` its own.
 */
export function createOpenAiModel(settings: OpenAiSettings, onUsage?: TokenUsageListener): EndpointModelClient {
  const client = openAiClient(settings);
  // The endpoint's `usage` is untrusted: a count that is not a whole number in bounds is not heard
  // (so never stored on a node, counted on /metrics or put on a span), and the call still answers.
  const report = (usage: CompletionUsage | null | undefined, onCallUsage?: TokenUsageListener) => {
    const tokens = TokenUsage.safeParse({ input_tokens: usage?.prompt_tokens, output_tokens: usage?.completion_tokens });
    if (!tokens.success) return;
    onUsage?.(tokens.data);
    onCallUsage?.(tokens.data);
  };
  const label: ModelLabel = { provider: new URL(settings.baseUrl).host, model: settings.model, offline: false };

  return {
    kind: 'endpoint',
    label,
    async complete(messages) {
      const completion = await client.chat.completions
        .create({
          model: settings.model,
          temperature: 0,
          messages: toOpenAi(messages),
        })
        .catch(rethrowModelError);
      report(completion.usage);
      return completion.choices[0]?.message?.content ?? '';
    },
    async callFunctions(messages, functions, forced) {
      const completion = await client.chat.completions
        .create({
          model: settings.model,
          temperature: 0,
          messages: toOpenAi(messages),
          tools: functions.map((f): ChatCompletionTool => ({
            type: 'function',
            function: { name: f.name, description: f.description, parameters: f.parameters },
          })),
          ...(forced ? { tool_choice: { type: 'function' as const, function: { name: forced } } } : {}),
        })
        .catch(rethrowModelError);
      report(completion.usage);
      const calls = completion.choices[0]?.message?.tool_calls ?? [];
      return calls.flatMap((call) =>
        call.type === 'function' ? [{ name: call.function.name, arguments: call.function.arguments }] : [],
      );
    },
    async streamAnswer(prompt, onDelta, signal, onCallUsage) {
      let text = '';
      try {
        const stream = await client.chat.completions.create(
          // The last chunk then carries the call's usage (no choices): servers without it send none.
          { model: settings.model, stream: true, stream_options: { include_usage: true }, messages: toOpenAi(prompt.messages) },
          { signal },
        );
        for await (const chunk of stream) {
          report(chunk.usage, onCallUsage);
          const delta = chunk.choices[0]?.delta?.content;
          if (delta) {
            text += delta;
            onDelta(delta);
          }
        }
      } catch (err) {
        if (signal.aborted) throw new AbortedError();
        rethrowModelError(err);
      }
      return text;
    },
  };
}

/** A small real call, for the console's "test connection" button. */
export async function probeOpenAiModel(settings: OpenAiSettings): Promise<string> {
  const client = openAiClient(settings, 15_000);
  const completion = await client.chat.completions.create({
    model: settings.model,
    max_tokens: 8,
    messages: [{ role: 'user', content: 'Reply with the word ok.' }],
  });
  return completion.choices[0]?.message?.content ?? '';
}
