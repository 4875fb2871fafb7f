import { api, waitForTurn, waitUntil } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import type { TokenUsage } from '../../domain/execution';
import { createOpenAiModel } from '../../model/openAiModel';
import { FakeOpenAi, startFakeOpenAi } from '../support/fakeOpenAi';
import { parsePrometheusText, sampleSum, sampleValue } from '../../harness/prometheusText';

/**
 * An OpenAI-compatible endpoint is someone else's server, so the `usage` it reports is untrusted
 * input. The attack: an endpoint that answers well but reports hostile token counts (negative,
 * NaN-ish strings, 1e308, huge objects). None may reach a node's token_usage, the token counter on
 * /metrics or a span, and none may fail the call it came with.
 */
let stack: TestStack;
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  stack = await startTestStack('hostile_usage', { LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-model' });
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

const NEGATIVE = { prompt_tokens: -5, completion_tokens: -1, total_tokens: -6 };
const NAN_ISH = { prompt_tokens: 'NaN', completion_tokens: 'Infinity', total_tokens: '1e999' };
const TOO_LARGE = { prompt_tokens: 1e308, completion_tokens: 1e308, total_tokens: 1e308 };
const HOSTILE_USAGES: [string, unknown][] = [
  ['negative counts', NEGATIVE],
  ['NaN-ish strings', NAN_ISH],
  ['1e308', TOO_LARGE],
  ['fractions', { prompt_tokens: 0.5, completion_tokens: 2.25, total_tokens: 2.75 }],
  ['nulls', { prompt_tokens: null, completion_tokens: null, total_tokens: null }],
  [
    'huge objects',
    { prompt_tokens: { nested: 'x'.repeat(200_000) }, completion_tokens: Array.from({ length: 20_000 }, (_, i) => i) },
  ],
  ['a string for usage', 'x'.repeat(10_000)],
];

const model = (heard: TokenUsage[]) =>
  createOpenAiModel({ baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'fake-model' }, (u) => heard.push(u));
const PROMPT = { messages: [{ role: 'user' as const, content: 'hi' }], offline_text: 'hi' };
const CALCULATOR = {
  name: 'calculator',
  description: 'arithmetic',
  parameters: { type: 'object', properties: { expression: { type: 'string' } } },
  step: { kind: 'tool' as const, component: 'calculator' },
};

describe('the model client hears no hostile count, and the call still answers', () => {
  it('an honest count is heard (so the refusals below are the bounds at work)', async () => {
    const heard: TokenUsage[] = [];
    fake.enqueue('plain', { content: 'ok' });
    expect(await model(heard).complete(PROMPT.messages)).toBe('ok');
    expect(heard).toEqual([{ input_tokens: 10, output_tokens: 5 }]);
    fake.assertScriptDone();
  });

  it.each(HOSTILE_USAGES)('%s', async (_name, usage) => {
    const heard: TokenUsage[] = [];
    const heardByStream: TokenUsage[] = [];
    const client = model(heard);
    fake.enqueue('plain', { content: 'ok', usage });
    fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '1+1' } }], usage });
    fake.enqueue('stream', { stream: ['fi', 'ne'], usage });
    expect(await client.complete(PROMPT.messages)).toBe('ok');
    expect(await client.callFunctions(PROMPT.messages, [CALCULATOR])).toEqual([
      { name: 'calculator', arguments: '{"expression":"1+1"}' },
    ]);
    expect(
      await client.streamAnswer(
        PROMPT,
        () => {},
        new AbortController().signal,
        (u) => heardByStream.push(u),
      ),
    ).toBe('fine');
    expect(heard).toEqual([]);
    expect(heardByStream).toEqual([]);
    fake.assertScriptDone();
  });
});

it('a turn whose every model call reports hostile counts completes, and stores and exports no count', async () => {
  fake.enqueue('plain', { content: 'arithmetic', usage: NEGATIVE });
  fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '6*7' } }], usage: NAN_ISH });
  fake.enqueue('stream', { stream: ['42.'], usage: TOO_LARGE });

  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'six times seven?' })).body;
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');
  fake.assertScriptDone();

  const stored = await stack.mongo.db.collection('execution_nodes').find({ turn_id: sent.turn_id }).toArray();
  expect(stored.length).toBeGreaterThan(2);
  expect(stored.filter((n) => n.token_usage != null)).toEqual([]);
  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect(graph.nodes.find((n: { type: string }) => n.type === 'response').token_usage ?? null).toBeNull();

  // The worker publishes its figures every two seconds: wait for the turn, then no token was counted.
  const families = await waitUntil('the turn in /metrics', async () => {
    const res = await api<string>(stack, 'GET', '/metrics');
    const f = parsePrometheusText(res.body);
    return sampleValue(f, 'evoscope_turns_total', { outcome: 'completed' }) === 1 ? f : null;
  });
  expect(sampleSum(families, 'evoscope_model_tokens_total')).toBe(0);
});
