import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { getFreePort, stopProcess } from '../../scripts/lib/processes';
import { startLocalModelServer, type LocalModelServer } from '../../scripts/lib/localModel';
import { copyAgentComponents } from '../../harness/agentComponents';
import { api, openChannel, waitForTurn, waitUntil } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * The real local model (SmolLM2-135M-Instruct on llama.cpp, model/localServer) behind the
 * whole stack: a chat turn, a tool-call round trip, and an evolution whose rewrite the
 * model writes. A 135M model is weak, so these assert the path and the invariants, never
 * the quality of an answer. The server must have been provisioned
 * (`scripts/provision.sh --local-model`); if it was not, this file fails, it does not skip.
 */

/** A tool without tunables, wrong on purpose (×2 where the suite wants ×3): a rewrite is the only way to change it. */
const COMPONENT = `var component = {
  name: 'triple',
  type: 'tool',
  description: 'Multiplies x by three.',
  input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
  run: function (input) {
    return { result: input.x * 2 };
  },
};
`;
const SUITE = {
  component: 'triple',
  cases: Array.from({ length: 12 }, (_, i) => ({
    id: `x${i}`,
    input: { x: i + 1 },
    expect: { path: 'result', approx: (i + 1) * 3 },
    holdout: i >= 6,
  })),
};
const GOAL = 'return x multiplied by 3 instead of 2';

/** Every reason a generated tool's draft is refused for (activities/toolGeneration/toolGenerationActivities.ts). */
const NO_DRAFT =
  /^no draft: (the model returned no ```(js|json) block with the (component|test suite)|the draft is a \w+, not a tool|the draft does not compile: .+|the draft's name .+ is not snake_case|a component named \w+ already exists|the suite is not JSON: .+|the suite is invalid: .+|the suite uses a case id twice)$/s;

/** Every reason the engine gives for a rewrite that cannot be a candidate (activities/proposals/proposalActivities.ts). */
const NO_CANDIDATE =
  /^no candidate: the (model returned no code block|rewrite does not compile: .+|rewrite changed the component name or type|rewrite is identical to the current version)$/s;

let model: LocalModelServer;
let stack: TestStack;
let dir: string;
jest.setTimeout(900_000);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-local-model-'));
  await mkdir(path.join(dir, 'components', 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'suites'));
  await writeFile(path.join(dir, 'components', 'tools', 'triple.js'), COMPONENT);
  await copyAgentComponents(path.join(dir, 'components'));
  // The shipped calculator, for a turn whose request a tool serves.
  await copyFile(
    path.resolve(__dirname, '../../components/tools/calculator.js'),
    path.join(dir, 'components', 'tools', 'calculator.js'),
  );
  await writeFile(path.join(dir, 'suites', 'triple.json'), JSON.stringify(SUITE));
  model = await startLocalModelServer({
    port: await getFreePort(),
    logFile: path.join(dir, 'local-model.log'),
    // Temperature 0 where a request names none; one thread, as CI shares two cores with the other test file.
    settings: { LOCAL_MODEL_TEMPERATURE: '0', LOCAL_MODEL_THREADS: '1', LOCAL_MODEL_MAX_TOKENS: '256' },
  });
  stack = await startTestStack('local_model', {
    EVOSCOPE_COMPONENTS_DIR: path.join(dir, 'components'),
    EVOSCOPE_SUITES_DIR: path.join(dir, 'suites'),
    LLM_BASE_URL: model.baseUrl,
    LLM_MODEL: model.modelId,
  });
  await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 });
});
afterAll(async () => {
  await stack?.stop();
  if (model) await stopProcess(model.process);
  await rm(dir, { recursive: true, force: true });
});

const modelLabel = () => ({ provider: new URL(model.baseUrl).host, model: model.modelId, offline: false });

test('a chat turn: the real model answers, streamed token by token, and every node of the turn is recorded', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'local model' })).body;
  const chat = await openChannel(stack, `/ws/chat/${session.id}`);
  await chat.waitFor((m) => m.type === 'initial_state');
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'What is the capital of France?' })).body;
  expect((await waitForTurn(stack, sent.turn_id, 600_000)).status).toBe('completed');
  await chat.waitFor((m) => m.data?.type === 'message_completed' && m.data.message.role === 'assistant');

  const answer = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.find(
    (m: any) => m.turn_id === sent.turn_id && m.role === 'assistant',
  );
  expect(answer).toMatchObject({ status: 'complete', model: modelLabel() });
  expect(answer.content.trim().length).toBeGreaterThan(0);
  const tokens = chat.messages.filter((m) => m.data?.type === 'token').map((m) => m.data.delta);
  expect(tokens.length).toBeGreaterThan(1);
  expect(tokens.join('')).toBe(answer.content);

  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  const types = graph.nodes.map((n: any) => n.type);
  for (const type of ['user_input', 'model_selector', 'agent', 'plan', 'response']) expect(types).toContain(type);
  expect(graph.nodes.every((n: any) => n.status === 'success')).toBe(true);
  expect(graph.nodes.find((n: any) => n.type === 'response').chat_message_ids).toEqual([answer.id]);
  chat.close();
});

test('a request a tool serves: the real model is made to call it, and the answer states only numbers the request or the tool did', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'grounded' })).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: "what's 6 times 9" })).body;
  expect((await waitForTurn(stack, sent.turn_id, 600_000)).status).toBe('completed');

  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  const tool = graph.nodes.find((n: any) => n.type === 'tool');
  expect(tool).toMatchObject({ label: 'calculator', status: 'success', output: { result: 54 } });
  expect(graph.nodes.find((n: any) => n.type === 'plan').output[0].reason).toMatch(
    /the model('s call was refused| called calculator)/,
  );
  const answer = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.find(
    (m: any) => m.turn_id === sent.turn_id && m.role === 'assistant',
  );
  expect(answer.content).toMatch(/(?<![\d.])54(?![\d])/);
  for (const number of answer.content.match(/\d+(?:\.\d+)?/g) ?? []) expect(['6', '9', '54']).toContain(number);
});

test('a tool-call round trip through the openai client: a forced call of an offered tool, then an answer from its result', async () => {
  const client = new OpenAI({ baseURL: model.baseUrl, apiKey: 'unused', maxRetries: 0 });
  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    {
      type: 'function',
      function: {
        name: 'calculator',
        description: 'Evaluates an arithmetic expression',
        parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
      },
    },
    {
      type: 'function',
      function: {
        name: 'unit_convert',
        description: 'Converts a value between units',
        parameters: {
          type: 'object',
          properties: { value: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } },
          required: ['value', 'from', 'to'],
        },
      },
    },
  ];
  const question: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: 'user', content: 'What is 17 * 3?' };
  const first = await client.chat.completions.create({
    model: model.modelId,
    temperature: 0,
    tools,
    tool_choice: 'required',
    messages: [question],
  });
  expect(first.choices[0].finish_reason).toBe('tool_calls');
  const [call] = first.choices[0].message.tool_calls ?? [];
  expect(call.type).toBe('function');
  if (call.type !== 'function') return;
  expect(['calculator', 'unit_convert']).toContain(call.function.name);
  const args = JSON.parse(call.function.arguments);
  // The grammar guarantees the declared shape, whatever the model chose to put in it.
  if (call.function.name === 'calculator') expect(typeof args.expression).toBe('string');
  else expect(args).toEqual({ value: expect.any(Number), from: expect.any(String), to: expect.any(String) });

  const second = await client.chat.completions.create({
    model: model.modelId,
    temperature: 0,
    max_tokens: 64,
    tools,
    tool_choice: 'none',
    messages: [
      question,
      first.choices[0].message,
      { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ result: 51 }) },
    ],
  });
  expect(second.choices[0].message.tool_calls).toBeUndefined();
  expect(second.choices[0].message.content?.trim()).toBeTruthy();
  expect(['stop', 'length']).toContain(second.choices[0].finish_reason);
});

test('evolveComponent with the real model: its rewrite is compiled, sandboxed, A/B-tested and decided by the rules', async () => {
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' })).status).toBe(200);
  const before = (await api(stack, 'GET', '/api/meta/components/triple')).body;
  const started = await api(stack, 'POST', '/api/sandbox/experiments', { component: 'triple', goal: GOAL, seed: 1 });
  expect(started.status).toBe(202);
  const done = await waitUntil(
    'the evolution to be decided',
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${started.body.experiment_id}`)).body;
      return e?.decision && e.decision.outcome !== 'pending' ? e : null;
    },
    600_000,
  );
  const after = (await api(stack, 'GET', '/api/meta/components/triple')).body;
  const fileNow = await readFile(path.join(dir, 'components', 'tools', 'triple.js'), 'utf8');
  expect(done.version_a).toBe(before.current_version);
  expect(done.decision.decided_by).toBe('system');

  if (done.version_b === done.version_a) {
    // The rewrite never became a candidate: a precise reason, nothing stored, nothing changed.
    console.log(`local-model rewrite: not a candidate — ${done.decision.reason}`);
    expect(done.decision).toMatchObject({ action: 'reject', outcome: 'not_promoted' });
    expect(done.decision.reason).toMatch(NO_CANDIDATE);
    expect(done.conclusion).toBeNull();
    expect(after.versions.map((v: any) => v.version)).toEqual([before.current_version]);
    expect(after.current_version).toBe(before.current_version);
    expect(fileNow).toBe(COMPONENT);
    return;
  }
  // It compiled: a stored candidate of the model's making, run on every case next to the current version.
  const candidate = after.versions.find((v: any) => v.version === done.version_b);
  console.log(
    `local-model rewrite: candidate ${done.version_b}, verdict ${done.conclusion?.verdict}, ${done.decision.outcome} — ${done.decision.reason}`,
  );
  expect(candidate).toMatchObject({
    parents: [before.current_version],
    creator: { kind: 'prompt', detail: `${model.modelId}: ${GOAL}` },
  });
  for (const results of [done.results_a, done.results_b])
    expect(results.cases.map((c: any) => c.case_id).sort()).toEqual(SUITE.cases.map((c) => c.id).sort());
  expect(done.conclusion.verdict).toMatch(/^(b_better|a_better|no_difference)$/);
  if (done.decision.outcome === 'promoted') {
    // Promoted only as a significant winner, never worse than its parent on the held-out cases.
    expect(done.conclusion.verdict).toBe('b_better');
    expect(done.conclusion.mean_b).toBeGreaterThan(done.conclusion.mean_a);
    expect(after.current_version).toBe(done.version_b);
  } else {
    expect(done.decision.outcome).toBe('not_promoted');
    expect(after.current_version).toBe(before.current_version);
    expect(fileNow).toBe(COMPONENT);
  }
});

test('a generated tool drafted by the real model: refused with a precise reason, or compiled, sandboxed on its own suite and held for a person', async () => {
  const started = await api(stack, 'POST', '/api/meta/generated-tools', {
    request: 'make a tool that returns the length of a text',
    by: 'ada',
  });
  expect(started.status).toBe(202);
  const id = started.body.generation_id;
  const settled = await waitUntil(
    'the draft to be refused or to await its suite',
    async () => {
      const g = (await api(stack, 'GET', `/api/meta/generated-tools/${id}`)).body;
      return g?.stage === 'done' || g?.stage === 'awaiting_suite' ? g : null;
    },
    600_000,
  );
  expect(settled.draft).toMatchObject({ model: model.modelId, prompted_by: { kind: 'person', detail: 'ada' } });
  if (settled.stage === 'done') {
    console.log(`local-model generated tool: refused — ${settled.decision.reason}`);
    expect(settled.decision).toMatchObject({ outcome: 'refused', decided_by: 'system' });
    expect(settled.decision.reason).toMatch(NO_DRAFT);
    expect(settled.draft).toMatchObject({ name: null, code: null, proposed_suite: null, proposed_run: null });
    return;
  }
  // It compiled and its suite is valid: it ran in the sandbox on every proposed case, and it is not live until a person accepts the suite.
  console.log(
    `local-model generated tool: drafted ${settled.draft.name}, ${settled.draft.proposed_run.summary.passed}/${settled.draft.proposed_suite.length} proposed cases pass`,
  );
  expect(settled.draft.proposed_run.cases.map((c: any) => c.case_id)).toEqual(settled.draft.proposed_suite.map((c: any) => c.id));
  expect((await api(stack, 'GET', `/api/meta/components/${settled.draft.name}`)).status).toBe(404);
  expect(settled.acceptance).toBeNull();
});
