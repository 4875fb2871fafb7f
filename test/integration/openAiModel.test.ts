import { api, waitForTurn } from '../../harness/client';
import { FakeOpenAi, startFakeOpenAi, STREAM_PROMPT_TOKENS } from '../support/fakeOpenAi';
import { startTestStack, TestStack } from '../../harness/stack';

/** A configured OpenAI-compatible endpoint drives the turn: the real `openai` client against a local fake over HTTP. */
let stack: TestStack;
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  stack = await startTestStack('openai_model', { LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-model' });
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

test('analysis, function-calling plan, tool step and streamed answer go through the endpoint', async () => {
  fake.enqueue('plain', { content: 'arithmetic' });
  fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '17*3' } }] });
  fake.enqueue('stream', { stream: ['The answer ', 'is ', '51.'], chunkDelayMs: 5 });

  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'seventeen times three?' })).body;
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');

  const messages = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages;
  const answer = messages.find((m: any) => m.role === 'assistant');
  expect(answer.content).toBe('The answer is 51.');
  expect(answer.model).toEqual({ provider: new URL(fake.baseUrl).host, model: 'fake-model', offline: false });

  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  const tool = graph.nodes.find((n: any) => n.type === 'tool');
  expect(tool.output).toEqual({ expression: '17*3', result: 51 });
  // The endpoint's own count of the streamed answer, kept on the response node (one completion token a chunk here).
  expect(graph.nodes.find((n: any) => n.type === 'response').token_usage).toEqual({
    input_tokens: STREAM_PROMPT_TOKENS,
    output_tokens: 3,
  });

  expect(fake.requests).toHaveLength(3);
  expect(fake.requests.every((r) => r.authorization === 'Bearer sk-test')).toBe(true);
  const planning = fake.requests.find((r) => r.body.tools)!;
  expect((planning.body.tools as any[]).map((t) => t.function.name)).toEqual(
    expect.arrayContaining(['calculator', 'unit_convert', 'search_docs', 'remember_fact']),
  );
  const streaming = fake.requests.find((r) => r.body.stream)!;
  expect((streaming.body.messages as any[])[0].content).toContain('"result":51');
});

test('a tool call that fails is re-planned by the model with native tool calls that see the error', async () => {
  fake.enqueue('plain', { content: 'arithmetic' });
  fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '3 apples * 2' } }] });
  fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '3 * 2' } }] });
  fake.enqueue('stream', { stream: ['Six.'] });

  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'three apples times two?' })).body;
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');
  fake.assertScriptDone();

  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect(graph.nodes.map((n: any) => `${n.type} ${n.label} ${n.status}`)).toEqual([
    'user_input User message success',
    'model_selector Select model success',
    'agent Analyse intent success',
    'plan Plan success',
    'tool calculator error',
    'decision Decide: replan success',
    'plan Re-plan: 1 step success',
    'tool calculator success',
    'decision Decide: answer success',
    'response Respond success',
    'learning Learn success',
  ]);
  expect(graph.edges).toContainEqual(
    expect.objectContaining({
      source_node_id: `${sent.turn_id}:decision-1`,
      target_node_id: `${sent.turn_id}:replan-1`,
      kind: 'replan',
    }),
  );
  const replanning = fake.requests.filter((r) => r.body.tools).at(-1)!;
  const messages = replanning.body.messages as any[];
  expect(messages.find((m) => m.role === 'assistant').tool_calls[0]).toMatchObject({
    id: 'call-step-1',
    function: { name: 'calculator' },
  });
  expect(messages.find((m) => m.role === 'tool')).toMatchObject({
    tool_call_id: 'call-step-1',
    content: "Error: calculator failed (error): Unexpected 'apples' at position 3",
  });
  // The answer is told only about the repaired call.
  const streaming = fake.requests.filter((r) => r.body.stream).at(-1)!;
  expect((streaming.body.messages as any[])[0].content).toContain('calculator: {"expression":"3 * 2","result":6}');
  expect((streaming.body.messages as any[])[0].content).not.toContain('apples');
});

test('an endpoint error fails the step after Temporal retries, and the user is told', async () => {
  for (let i = 0; i < 4; i++) fake.enqueue('plain', { errorStatus: 500 });
  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'hello' })).body;
  expect((await waitForTurn(stack, sent.turn_id, 90_000)).status).toBe('failed');
  const answer = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.find(
    (m: any) => m.role === 'assistant',
  );
  expect(answer.status).toBe('error');
  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect(graph.nodes.find((n: any) => n.type === 'agent').status).toBe('error');
  expect(graph.nodes.find((n: any) => n.type === 'error')).toBeTruthy();
});

test('a refusal (wrong key) is not retried: the user is told at once what the endpoint said', async () => {
  fake.enqueue('plain', { errorStatus: 401 });
  const before = fake.requests.length;
  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'hello' })).body;
  expect((await waitForTurn(stack, sent.turn_id, 60_000)).status).toBe('failed');
  expect(fake.requests.length - before).toBe(1);
  const answer = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.find(
    (m: any) => m.role === 'assistant',
  );
  expect(answer.content).toContain('the model endpoint refused the request (HTTP 401)');
  fake.assertScriptDone();
});

test('a request a tool serves gets a forced call; an answer stating a number no tool computed is replaced by the tool’s result', async () => {
  fake.enqueue('plain', { content: 'arithmetic' });
  fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '9 * 6' } }] });
  fake.enqueue('stream', { stream: ['6 x 9 = 54 … six times ', 'nine is equal to 56.'] });

  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: "what's 6 times 9" })).body;
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');
  fake.assertScriptDone();

  const planning = fake.requests.filter((r) => r.body.tools).at(-1)!;
  expect(planning.body.tool_choice).toEqual({ type: 'function', function: { name: 'calculator' } });
  expect((planning.body.tools as any[]).map((t) => t.function.name)).toEqual(['calculator']);
  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect(graph.nodes.find((n: any) => n.type === 'tool').output).toEqual({ expression: '9 * 6', result: 54 });
  const answer = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.find(
    (m: any) => m.role === 'assistant',
  );
  expect(answer.content).toBe('9 * 6 = 54');
});

test('a forced call that states a number the request does not is refused: the analyser’s arguments run', async () => {
  fake.enqueue('plain', { content: 'arithmetic' });
  fake.enqueue('tools', { toolCalls: [{ name: 'calculator', arguments: { expression: '0.2 * 150 + 1' } }] });
  fake.enqueue('stream', { stream: ['20% of 150 is 30.'] });

  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'What is 20% of 150?' })).body;
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');
  fake.assertScriptDone();

  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  const plan = graph.nodes.find((n: any) => n.type === 'plan');
  expect(plan.output[0].reason).toContain("the model's call was refused: the arguments state 0.2, 1, which the request does not");
  expect(graph.nodes.find((n: any) => n.type === 'tool').output).toEqual({ expression: '20 / 100 * 150', result: 30 });
  const answer = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.find(
    (m: any) => m.role === 'assistant',
  );
  expect(answer.content).toBe('20% of 150 is 30.');
});
