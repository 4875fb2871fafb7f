import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { GenerateOptions, GenerateResult, LocalLlm } from '../../model/localServer/llamaRuntime';
import { listen, localModelApp } from '../../model/localServer/server';

/**
 * The server's wire format, read by the official `openai` client. The model is a scripted
 * stand-in here (its replies are the test's input); the real model is exercised in
 * test/integration/localModel.test.ts.
 */
const MODEL = 'tiny-test-model';

class ScriptedLlm implements LocalLlm {
  readonly contextSize = 200;
  replies: string[] = [];
  calls: GenerateOptions[] = [];
  countPromptTokens(turns: GenerateOptions['turns']) {
    return turns.reduce((n, t) => n + t.text.split(/\s+/).length, 0);
  }
  async generate(options: GenerateOptions): Promise<GenerateResult> {
    this.calls.push(options);
    const reply = this.replies.shift() ?? '';
    const pieces = reply.match(/.{1,4}/gs) ?? [];
    for (const piece of pieces) {
      if (options.signal.aborted) return { text: '', promptTokens: 1, completionTokens: 0, end: 'aborted' };
      options.onText?.(piece);
      await new Promise((r) => setTimeout(r, 1));
    }
    const truncated = pieces.length > options.maxTokens;
    return {
      text: pieces.slice(0, options.maxTokens).join(''),
      promptTokens: this.countPromptTokens(options.turns),
      completionTokens: Math.min(pieces.length, options.maxTokens),
      end: truncated ? 'length' : 'stop',
    };
  }
  async close() {}
}

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'calculator',
      description: 'Evaluates arithmetic',
      parameters: { type: 'object', properties: { expression: { type: 'string', maxLength: 100 } }, required: ['expression'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'unit_convert',
      parameters: { type: 'object', properties: { value: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } } },
    },
  },
];

let llm: ScriptedLlm;
let server: Server;
let client: OpenAI;
beforeAll(async () => {
  llm = new ScriptedLlm();
  server = await listen(
    localModelApp(llm, { modelId: MODEL, defaultTemperature: 0.7, defaultMaxTokens: 50, allowedHosts: [], log: () => undefined }),
    '127.0.0.1',
    0,
  );
  client = new OpenAI({
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    apiKey: 'unused',
    maxRetries: 0,
  });
});
beforeEach(() => {
  llm.replies = [];
  llm.calls = [];
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test('/v1/models lists the one model', async () => {
  const models = await client.models.list();
  expect(models.data.map((m) => m.id)).toEqual([MODEL]);
});

test('a plain completion: the content, usage and finish reason; the temperature and max tokens reach the model', async () => {
  llm.replies = ['Paris is the capital.'];
  const completion = await client.chat.completions.create({
    model: MODEL,
    temperature: 0,
    max_tokens: 30,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ],
  });
  expect(completion.object).toBe('chat.completion');
  expect(completion.choices[0]).toMatchObject({
    finish_reason: 'stop',
    message: { role: 'assistant', content: 'Paris is the capital.' },
  });
  expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 });
  expect(llm.calls[0]).toMatchObject({
    temperature: 0,
    maxTokens: 30,
    jsonShape: null,
    turns: [
      { role: 'system', text: 'Be brief.' },
      { role: 'user', text: 'Capital of France?' },
    ],
  });
});

test('without a temperature or max_tokens the server defaults apply; max tokens never exceed what the context has left', async () => {
  llm.replies = ['ok', 'ok'];
  await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
  await client.chat.completions.create({ model: MODEL, max_tokens: 10_000, messages: [{ role: 'user', content: 'hi' }] });
  expect(llm.calls.map((c) => [c.temperature, c.maxTokens])).toEqual([
    [0.7, 50],
    [0.7, 199],
  ]);
});

test('a reply cut at max_tokens finishes with "length"', async () => {
  llm.replies = ['one two three four five six'];
  const completion = await client.chat.completions.create({
    model: MODEL,
    max_tokens: 2,
    messages: [{ role: 'user', content: 'count' }],
  });
  expect(completion.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'one two ' } });
});

test('a stream: server-sent chunks the client assembles into the reply, then usage, then [DONE]', async () => {
  llm.replies = ['Red, green and blue.'];
  const stream = await client.chat.completions.create({
    model: MODEL,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Three colours?' }],
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
  const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
  expect(text).toBe('Red, green and blue.');
  expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
  expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
  expect(chunks.at(-1)).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: { completion_tokens: 5 } });
  expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
});

test('a reply that is a JSON call to an offered tool is returned as tool_calls', async () => {
  llm.replies = ['```json\n{"name": "calculator", "arguments": {"expression": "17*3"}}\n```'];
  const completion = await client.chat.completions.create({
    model: MODEL,
    tools: TOOLS,
    messages: [{ role: 'user', content: '17*3?' }],
  });
  const choice = completion.choices[0];
  expect(choice.finish_reason).toBe('tool_calls');
  expect(choice.message.content).toBeNull();
  expect(choice.message.tool_calls).toEqual([
    {
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'calculator', arguments: '{"expression":"17*3"}' },
    },
  ]);
  // The tools are described to the model in a system turn; with tool_choice auto nothing is forced.
  expect(llm.calls[0].turns[0]).toMatchObject({ role: 'system', text: expect.stringContaining('"name":"unit_convert"') });
  expect(llm.calls[0].jsonShape).toBeNull();
});

test('streamed tool calls arrive as OpenAI sends them: id and name first, then the arguments', async () => {
  llm.replies = ['{"name": "unit_convert", "arguments": {"value": 10, "from": "mi", "to": "km"}}'];
  const stream = await client.chat.completions.create({
    model: MODEL,
    stream: true,
    tools: TOOLS,
    messages: [{ role: 'user', content: '10 miles in km' }],
  });
  const deltas = [];
  for await (const chunk of stream) deltas.push(chunk.choices[0]);
  const calls = deltas.flatMap((d) => d?.delta.tool_calls ?? []);
  expect(calls[0]).toMatchObject({
    index: 0,
    id: expect.stringMatching(/^call_/),
    type: 'function',
    function: { name: 'unit_convert', arguments: '' },
  });
  expect(calls.map((c) => c.function?.arguments ?? '').join('')).toBe('{"value":10,"from":"mi","to":"km"}');
  expect(deltas.some((d) => d?.delta.content)).toBe(false);
  expect(deltas.at(-1)?.finish_reason).toBe('tool_calls');
});

test('tool_choice "required" or a named function constrains the reply to a call of that shape', async () => {
  llm.replies = [
    '{"name":"calculator","arguments":{"expression":"1"}}',
    '{"name":"unit_convert","arguments":{"value":1,"from":"a","to":"b"}}',
  ];
  await client.chat.completions.create({
    model: MODEL,
    tools: TOOLS,
    tool_choice: 'required',
    messages: [{ role: 'user', content: 'x' }],
  });
  await client.chat.completions.create({
    model: MODEL,
    tools: TOOLS,
    tool_choice: { type: 'function', function: { name: 'unit_convert' } },
    messages: [{ role: 'user', content: 'x' }],
  });
  expect(llm.calls[0].jsonShape).toEqual({
    oneOf: [
      {
        type: 'object',
        properties: {
          name: { const: 'calculator' },
          arguments: {
            type: 'object',
            properties: { expression: { type: 'string', maxLength: 100 } },
            required: ['expression'],
            additionalProperties: false,
          },
        },
        required: ['name', 'arguments'],
      },
      {
        type: 'object',
        properties: {
          name: { const: 'unit_convert' },
          arguments: {
            type: 'object',
            properties: { value: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } },
            additionalProperties: false,
          },
        },
        required: ['name', 'arguments'],
      },
    ],
  });
  expect(llm.calls[1].jsonShape).toMatchObject({ properties: { name: { const: 'unit_convert' } } });
  expect(llm.calls[1].turns[0].text).not.toContain('calculator');
});

test('a tool round trip: the earlier call and its result are written out for the model', async () => {
  llm.replies = ['It is 51.'];
  const completion = await client.chat.completions.create({
    model: MODEL,
    tools: TOOLS,
    messages: [
      { role: 'user', content: '17*3?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '{"expression":"17*3"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"result":51}' },
    ],
  });
  expect(completion.choices[0].message.content).toBe('It is 51.');
  expect(llm.calls[0].turns.slice(1)).toEqual([
    { role: 'user', text: '17*3?' },
    { role: 'assistant', text: '{"name": "calculator", "arguments": {"expression":"17*3"}}' },
    { role: 'user', text: 'Result of calculator: {"result":51}' },
  ]);
});

describe('bad requests get OpenAI errors and never reach the model', () => {
  test.each([
    [
      'an unknown model',
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] },
      404,
      { code: 'model_not_found', param: 'model' },
    ],
    ['no messages', { model: MODEL, messages: [] }, 400, { param: 'messages' }],
    [
      'a temperature out of range',
      { model: MODEL, temperature: 3, messages: [{ role: 'user', content: 'x' }] },
      400,
      { param: 'temperature' },
    ],
    ['n > 1', { model: MODEL, n: 2, messages: [{ role: 'user', content: 'x' }] }, 400, { param: 'n' }],
    [
      'tool_choice naming a tool not offered',
      {
        model: MODEL,
        tools: TOOLS,
        tool_choice: { type: 'function', function: { name: 'shell' } },
        messages: [{ role: 'user', content: 'x' }],
      },
      400,
      { param: 'tool_choice' },
    ],
    [
      '"required" without tools',
      { model: MODEL, tool_choice: 'required', messages: [{ role: 'user', content: 'x' }] },
      400,
      { param: 'tool_choice' },
    ],
    [
      'messages longer than the context',
      { model: MODEL, messages: [{ role: 'user', content: 'word '.repeat(300) }] },
      400,
      { code: 'context_length_exceeded' },
    ],
  ])('%s', async (_, body, status, error) => {
    const failure = await client.chat.completions.create(body as never).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure).toMatchObject({ status, error: { type: 'invalid_request_error', ...error } });
    expect(llm.calls).toHaveLength(0);
  });

  test('a body that is not JSON', async () => {
    const res = await fetch(`${client.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{bad',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.type).toBe('invalid_request_error');
  });
});

test('a client that goes away mid-stream aborts the generation', async () => {
  llm.replies = ['word '.repeat(40)];
  const abort = new AbortController();
  const stream = await client.chat.completions.create(
    { model: MODEL, stream: true, messages: [{ role: 'user', content: 'talk' }] },
    { signal: abort.signal },
  );
  let received = '';
  // The client ends the iteration quietly or with an abort error, depending on when the abort lands.
  await (async () => {
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? '';
      if (received) abort.abort();
    }
  })().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  expect(llm.calls[0].signal.aborted).toBe(true);
  expect(received.length).toBeLessThan(40);
});
