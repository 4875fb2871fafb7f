import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, ModelLabel } from '../domain/chat';
import { Intent } from '../domain/plan';
import type { PlanStep } from '../domain/plan';
import { AbortedError, AnswerRequest, ModelClient } from './modelClient';
import { rethrowModelError } from './modelRefusal';
import { readOffline } from './offlineIntent';

export interface OpenAiSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
}

const INTENTS = Intent.shape.intent.options;

const SYSTEM_ANSWER =
  'You are Evoscope, a helpful assistant. Use the tool results given to you; cite documentation sources as [n]. Be concise.';

const historyMessages = (history: ChatMessage[]): ChatCompletionMessageParam[] =>
  history
    .filter((m) => m.role !== 'system' && m.content.length > 0)
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));

/** The official client for an OpenAI-compatible endpoint, with its own retries off: Temporal owns retries. */
export const openAiClient = (settings: OpenAiSettings, timeoutMs = 120_000) =>
  new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey || 'not-needed', maxRetries: 0, timeout: timeoutMs });

/**
 * Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp) through the official client.
 * A refusal (wrong key or model) fails at once; other errors are Temporal's to retry.
 */
export function createOpenAiModel(settings: OpenAiSettings): ModelClient {
  const client = openAiClient(settings);
  const label: ModelLabel = { provider: new URL(settings.baseUrl).host, model: settings.model, offline: false };

  return {
    label,
    async analyse(content) {
      const completion = await client.chat.completions.create({
        model: settings.model,
        temperature: 0,
        messages: [
          { role: 'system', content: `Classify the user's message. Reply with exactly one word from: ${INTENTS.join(', ')}.` },
          { role: 'user', content },
        ],
      }).catch(rethrowModelError);
      const reply = (completion.choices[0]?.message?.content ?? '').trim().toLowerCase();
      const intent = INTENTS.find((name) => reply.includes(name));
      // A model that cannot classify still gets a sensible intent from the offline rules.
      return intent ? { intent, confidence: 0.8, summary: reply.slice(0, 200) } : readOffline(content).intent;
    },
    async plan(content, intent, tools) {
      const completion = await client.chat.completions.create({
        model: settings.model,
        temperature: 0,
        messages: [
          { role: 'system', content: `Decide which tools answer the user's message (intent: ${intent.intent}). Call none if no tool helps.` },
          { role: 'user', content },
        ],
        tools: tools.map((t): ChatCompletionTool => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })),
      }).catch(rethrowModelError);
      const calls = completion.choices[0]?.message?.tool_calls ?? [];
      return calls.flatMap((call, index): PlanStep[] => {
        if (call.type !== 'function') return [];
        const tool = tools.find((t) => t.name === call.function.name);
        if (!tool) return [];
        let args: Record<string, unknown>;
        try {
          args = JSON.parse(call.function.arguments || '{}');
        } catch {
          return [];
        }
        return [{ id: `step-${index + 1}`, ...tool.step, args, reason: `the model called ${call.function.name}` }];
      });
    },
    async streamAnswer(request: AnswerRequest, onDelta, signal) {
      const toolContext = request.outcomes.map((o) => `${o.component}: ${JSON.stringify(o.output)}`).join('\n');
      let text = '';
      try {
        const stream = await client.chat.completions.create(
          {
            model: settings.model,
            stream: true,
            messages: [
              { role: 'system', content: toolContext ? `${SYSTEM_ANSWER}\n\nTool results:\n${toolContext}` : SYSTEM_ANSWER },
              ...historyMessages(request.history),
              { role: 'user', content: request.content },
            ],
          },
          { signal },
        );
        for await (const chunk of stream) {
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
    model: settings.model, max_tokens: 8, messages: [{ role: 'user', content: 'Reply with the word ok.' }],
  });
  return completion.choices[0]?.message?.content ?? '';
}
