import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generationWorkflowId } from '../../domain/generation';
import { api, waitUntil } from '../../harness/client';
import { FakeOpenAi, startFakeOpenAi } from '../support/fakeOpenAi';
import {
  casesOf,
  draftReply as reply,
  REVERSE,
  REVERSE_CASES,
  toolCode,
  UNICODE_CASE,
  UPPER,
  UPPER_CASES,
} from '../support/generatedToolReplies';
import { startTestStack, TestStack } from '../../harness/stack';
import { tunableComponent, suiteFor } from '../support/tunableComponent';

/**
 * Generated tools on the real stack: a configured endpoint (the real `openai` client against a
 * local fake that speaks the wire protocol, for scripted replies) drafts a tool and its suite;
 * the draft is compiled, run in the sandbox and recorded; a person must accept the suite
 * before anything can be promoted; the accepted suite decides.
 */
let stack: TestStack;
let fake: FakeOpenAi;
let dir: string;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-generated-'));
  await mkdir(path.join(dir, 'components', 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'suites'));
  await writeFile(path.join(dir, 'components', 'tools', 'existing_tool.js'), tunableComponent('existing_tool', 1));
  await writeFile(path.join(dir, 'suites', 'existing_tool.json'), JSON.stringify(suiteFor('existing_tool')));
  // A suite whose component is gone (its file deleted): a generated tool must not take it over.
  await writeFile(path.join(dir, 'suites', 'orphan_text.json'), JSON.stringify(suiteFor('orphan_text')));
  stack = await startTestStack('generated_tools', {
    EVOSCOPE_COMPONENTS_DIR: path.join(dir, 'components'),
    EVOSCOPE_SUITES_DIR: path.join(dir, 'suites'),
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'fake-model',
  });
});
afterEach(() => fake.assertScriptDone());
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});
jest.setTimeout(300_000);

const setAutonomy = async (level: string) =>
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level })).status).toBe(200);
const generated = async (id: string) => (await api(stack, 'GET', `/api/meta/generated-tools/${id}`)).body;
const atStage = (id: string, stage: string) =>
  waitUntil(
    `generated tool ${id} at ${stage}`,
    async () => {
      const g = (await api(stack, 'GET', `/api/meta/generated-tools/${id}`)).body;
      return g?.stage === stage ? g : null;
    },
    120_000,
  );
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

async function request(text: string): Promise<string> {
  const started = await api(stack, 'POST', '/api/meta/generated-tools', { request: text, by: 'ada' });
  expect(started.status).toBe(202);
  return started.body.generation_id;
}

test('a person asks for a tool: the draft is compiled, sandboxed and recorded; nothing is promoted until the suite is accepted; an edited suite decides', async () => {
  await setAutonomy('full');
  const code = toolCode('reverse_text', REVERSE);
  const proposed = REVERSE_CASES;
  fake.enqueue('plain', { content: reply(code, proposed) });
  const id = await request('make a tool that reverses a text');
  // Shown from the moment it is asked, before the model has answered.
  expect(await generated(id)).toMatchObject({
    id,
    draft: { request: 'make a tool that reverses a text', prompted_by: { kind: 'person', detail: 'ada' } },
    decision: null,
  });

  const waiting = await atStage(id, 'awaiting_suite');
  const [system, user] = fake.requests.at(-1)!.body.messages as { role: string; content: string }[];
  expect(system.content).toContain("var component = { name, type: 'tool'");
  expect(user.content).toBe('Write a tool that reverses a text');
  expect(waiting.draft).toMatchObject({
    name: 'reverse_text',
    code,
    proposed_suite: proposed,
    refusal: null,
    model: 'fake-model',
    prompted_by: { kind: 'person', detail: 'ada' },
  });
  expect(waiting.draft.proposed_run.cases).toHaveLength(6);
  expect(waiting.draft.proposed_run.cases.every((c: any) => c.passed)).toBe(true);
  const timeline = (await api(stack, 'GET', '/api/meta/evolution/timeline')).body.timeline;
  expect(
    timeline.find((e: any) => e.data.type === 'component_generated' && e.data.component === 'reverse_text').data,
  ).toMatchObject({
    version: waiting.draft.version,
    created_by: { kind: 'generated', detail: 'person ada: make a tool that reverses a text' },
  });

  // Not live, not promotable: full autonomy or not, a person has to accept the suite first.
  expect((await api(stack, 'GET', '/api/meta/components/reverse_text')).status).toBe(404);
  const early = await api(stack, 'POST', `/api/meta/generated-tools/${id}/approve`, { by: 'ada' });
  expect(early.status).toBe(409);
  expect(early.body.message).toContain('awaiting suite, not awaiting approval');
  const invalid = await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, {
    by: 'ada',
    cases: [{ id: 'bad id!', input: {}, expect: {} }],
  });
  expect(invalid.status).toBe(400);
  expect((await generated(id)).stage).toBe('awaiting_suite');

  const edited = [...proposed, UNICODE_CASE];
  expect((await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, { by: 'grace', cases: edited })).status).toBe(
    200,
  );
  const done = await atStage(id, 'done');
  expect(done.acceptance).toMatchObject({ accepted_by: 'grace', edited: true, cases: edited });
  expect(done.acceptance.run.cases).toHaveLength(7);
  expect(done.decision).toMatchObject({
    outcome: 'promoted',
    decided_by: 'system',
    reason: 'passes all 7 accepted cases; promoted by the system at autonomy level full',
  });

  const component = (await api(stack, 'GET', '/api/meta/components/reverse_text')).body;
  expect(component.current_version).toBe(waiting.draft.version);
  expect(component.versions[0].creator).toEqual({
    kind: 'generated',
    detail: 'person ada; suite accepted by grace; promoted by system',
  });
  expect(await readFile(path.join(dir, 'components', 'tools', 'reverse_text.js'), 'utf8')).toBe(code);
  expect(JSON.parse(await readFile(path.join(dir, 'suites', 'reverse_text.json'), 'utf8'))).toEqual({
    component: 'reverse_text',
    cases: edited,
  });
});

test('below full autonomy an accepted draft waits for a person, who may reject it: nothing is written', async () => {
  await setAutonomy('semi_auto');
  fake.enqueue('plain', {
    content: reply(toolCode('upper_text', UPPER), UPPER_CASES),
  });
  const id = await request('make a tool that upper-cases a text');
  await atStage(id, 'awaiting_suite');
  expect((await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, { by: 'ada' })).status).toBe(200);
  const waiting = await atStage(id, 'awaiting_approval');
  expect(waiting.acceptance).toMatchObject({ accepted_by: 'ada', edited: false });
  expect((await api(stack, 'POST', `/api/meta/generated-tools/${id}/reject`, { by: 'ada', reason: 'we have one' })).status).toBe(
    200,
  );
  const done = await atStage(id, 'done');
  expect(done.decision).toMatchObject({ outcome: 'rejected', decided_by: 'ada', reason: 'we have one' });
  expect((await api(stack, 'GET', '/api/meta/components/upper_text')).status).toBe(404);
  expect(await exists(path.join(dir, 'components', 'tools', 'upper_text.js'))).toBe(false);
});

test('a draft that fails an accepted case is refused, with the cases that failed', async () => {
  await setAutonomy('full');
  const wrong = casesOf([
    ['abc', 'cba'],
    ['ab', 'ba'],
    ['x', 'x'],
    ['abc', 'abc'],
    ['q', 'q'],
    ['', ''],
  ]);
  fake.enqueue('plain', { content: reply(toolCode('reverse_again', REVERSE), wrong) });
  const id = await request('make a tool that reverses text again');
  const waiting = await atStage(id, 'awaiting_suite');
  expect(waiting.draft.proposed_run.cases.filter((c: any) => !c.passed).map((c: any) => c.case_id)).toEqual(['c3']);
  await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, { by: 'ada' });
  const done = await atStage(id, 'done');
  expect(done.decision.outcome).toBe('refused');
  expect(done.decision.reason).toMatch(
    /^the draft fails 1 of 6 accepted cases: c3: expected \{"result":"abc"\}, got \{"result":"cba"\}/,
  );
  expect((await api(stack, 'GET', '/api/meta/components/reverse_again')).status).toBe(404);
});

test('two generated tools proposing one name: the second is refused at promotion, the first keeps its file and accepted suite', async () => {
  await setAutonomy('assisted');
  const first = toolCode('twin_text', UPPER);
  const second = toolCode('twin_text', REVERSE);
  fake.enqueue('plain', { content: reply(first, UPPER_CASES) });
  const firstId = await request('make a tool that upper-cases a text (first)');
  await atStage(firstId, 'awaiting_suite');
  fake.enqueue('plain', { content: reply(second, REVERSE_CASES) });
  const secondId = await request('make a tool that reverses a text (second)');
  // Both drafted: neither name was taken while they were drafted.
  expect((await atStage(secondId, 'awaiting_suite')).draft).toMatchObject({ name: 'twin_text', refusal: null });

  const accepted = UPPER_CASES.slice(0, 5);
  await api(stack, 'POST', `/api/meta/generated-tools/${firstId}/accept-suite`, { by: 'grace', cases: accepted });
  await api(stack, 'POST', `/api/meta/generated-tools/${secondId}/accept-suite`, { by: 'ada' });
  await atStage(firstId, 'awaiting_approval');
  await atStage(secondId, 'awaiting_approval');
  await api(stack, 'POST', `/api/meta/generated-tools/${firstId}/approve`, { by: 'grace' });
  expect((await atStage(firstId, 'done')).decision.outcome).toBe('promoted');
  const firstVersion = (await api(stack, 'GET', '/api/meta/components/twin_text')).body.current_version;

  await api(stack, 'POST', `/api/meta/generated-tools/${secondId}/approve`, { by: 'ada' });
  expect((await atStage(secondId, 'done')).decision).toMatchObject({
    outcome: 'refused',
    decided_by: 'system',
    reason: 'not promoted: a component named twin_text already exists',
  });
  const component = (await api(stack, 'GET', '/api/meta/components/twin_text')).body;
  expect(component.current_version).toBe(firstVersion);
  expect(component.versions).toHaveLength(1);
  expect(await readFile(path.join(dir, 'components', 'tools', 'twin_text.js'), 'utf8')).toBe(first);
  expect(JSON.parse(await readFile(path.join(dir, 'suites', 'twin_text.json'), 'utf8'))).toEqual({
    component: 'twin_text',
    cases: accepted,
  });
});

const gql = async (query: string, variables: Record<string, unknown>) => {
  const res = await api(stack, 'POST', '/graphql', { query, variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
};
const GENERATED_FIELDS =
  'id stage draft { name version code proposed_suite refusal prompted_by } acceptance { accepted_by edited cases } decision { outcome decided_by reason }';

test('GraphQL: the console asks for a tool, edits and accepts its suite, approves it; the same records as REST', async () => {
  await setAutonomy('assisted');
  const code = toolCode('double_text', 'input.text + input.text');
  const proposed = casesOf([
    ['a', 'aa'],
    ['ab', 'abab'],
    ['', ''],
    ['x', 'xx'],
    ['yz', 'yzyz'],
    ['q', 'qq'],
  ]);
  fake.enqueue('plain', { content: reply(code, proposed) });
  const started = await gql(
    'mutation ($input: GenerateToolInput!) { generate_tool(input: $input) { generation_id workflow_id } }',
    { input: { request: 'make a tool that doubles a text', by: 'ada' } },
  );
  const id = started.generate_tool.generation_id;
  expect(started.generate_tool.workflow_id).toBe(`generate-tool:${id}`);
  await atStage(id, 'awaiting_suite');
  const one = (await gql(`query ($id: ID!) { generated_tool(id: $id) { ${GENERATED_FIELDS} } }`, { id })).generated_tool;
  expect(one).toMatchObject({
    id,
    stage: 'awaiting_suite',
    draft: { name: 'double_text', code, proposed_suite: proposed, refusal: null, prompted_by: { kind: 'person', detail: 'ada' } },
    acceptance: null,
    decision: null,
  });
  const listed = (await gql(`{ generated_tools { id } }`, {})).generated_tools.map((g: { id: string }) => g.id);
  expect(listed[0]).toBe(id);

  const tooEarly = await api(stack, 'POST', '/graphql', {
    query: 'mutation ($id: ID!) { approve_generated_tool(id: $id, input: { by: "ada" }) { id } }',
    variables: { id },
  });
  expect(tooEarly.body.errors[0].message).toContain('awaiting suite, not awaiting approval');

  const edited = proposed.slice(0, 5);
  await gql('mutation ($id: ID!, $input: AcceptGeneratedSuiteInput) { accept_generated_suite(id: $id, input: $input) { id } }', {
    id,
    input: { by: 'grace', cases: edited },
  });
  await atStage(id, 'awaiting_approval');
  const approved = await gql(
    `mutation ($id: ID!) { approve_generated_tool(id: $id, input: { by: "ada" }) { ${GENERATED_FIELDS} } }`,
    { id },
  );
  expect(approved.approve_generated_tool.acceptance).toEqual({ accepted_by: 'grace', edited: true, cases: edited });
  const done = await atStage(id, 'done');
  expect(done.decision).toMatchObject({ outcome: 'promoted', decided_by: 'ada' });
  expect((await api(stack, 'GET', '/api/meta/components/double_text')).body.current_version).toBe(one.draft.version);
});

describe('a reply that cannot be a draft is refused at once, with the reason, and records no component', () => {
  test.each([
    ['no code block', 'I cannot write code.', 'no draft: the model returned no ```js block with the component'],
    [
      'no suite',
      '```js\n' + toolCode('no_suite', UPPER) + '```',
      'no draft: the model returned no ```json block with the test suite',
    ],
    [
      'a file that does not compile',
      reply('var component = {', casesOf([['a', 'A']])),
      /^no draft: the draft does not compile: /,
    ],
    [
      'an existing name',
      reply(toolCode('existing_tool', UPPER), casesOf([['a', 'A']])),
      'no draft: a component named existing_tool already exists',
    ],
    [
      'a name whose suite exists',
      reply(toolCode('orphan_text', UPPER), casesOf([['a', 'A']])),
      'no draft: a suite named orphan_text.json already exists',
    ],
    [
      'an invalid suite',
      reply(toolCode('bad_suite', UPPER), [{ id: 'c1', input: {}, expect: { nonsense: 1 } }]),
      /^no draft: the suite is invalid: cases\.0\.expect/,
    ],
  ])('%s', async (_, content, reason) => {
    fake.enqueue('plain', { content });
    const id = await request('make a tool that does something');
    const done = await atStage(id, 'done');
    expect(done.decision).toMatchObject({ outcome: 'refused', decided_by: 'system' });
    if (typeof reason === 'string') expect(done.decision.reason).toBe(reason);
    else expect(done.decision.reason).toMatch(reason);
    expect(done.draft).toMatchObject({ name: null, code: null, proposed_suite: null });
    expect((await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, { by: 'ada' })).status).toBe(409);
  });
});

test('a model that keeps failing ends the generation refused, with the failure as its reason, not drafting for ever', async () => {
  for (let attempt = 0; attempt < 3; attempt++) fake.enqueue('plain', { errorStatus: 500 });
  const id = await request('make a tool that counts vowels');
  const done = await atStage(id, 'done');
  expect(done.decision).toMatchObject({ outcome: 'refused', decided_by: 'system' });
  expect(done.decision.reason).toMatch(/^no draft: drafting failed: .*500/);
  expect(done.draft).toMatchObject({ name: null, code: null, refusal: expect.stringMatching(/^drafting failed: /) });
  // The refusal is recorded before the workflow fails, so wait for the run to end before describing it.
  const handle = stack.temporal.workflow.getHandle(generationWorkflowId(id));
  await expect(handle.result()).rejects.toThrow();
  expect((await handle.describe()).status.name).toBe('FAILED'); // still a failure in the Temporal UI
});

test('a generation whose workflow is terminated reads as refused, with the reason, not at its last stage for ever', async () => {
  fake.enqueue('plain', { content: reply(toolCode('upper_case', UPPER), UPPER_CASES) });
  const id = await request('make a tool that upper-cases text');
  await atStage(id, 'awaiting_suite');
  await stack.temporal.workflow.getHandle(generationWorkflowId(id)).terminate('the test ends it');
  expect(await generated(id)).toMatchObject({
    stage: 'done',
    decision: {
      outcome: 'refused',
      decided_by: 'system',
      reason: `the generation did not record how it ended: its workflow ${generationWorkflowId(id)} ended terminated`,
    },
  });
  expect((await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, { by: 'ada' })).status).toBe(409);
});

test('bad requests change nothing', async () => {
  for (const body of [
    {},
    { request: 'short' },
    { request: 'make a tool that sums', prediction_id: 'p' },
    { request: 'make a tool that sums', extra: 1 },
  ]) {
    expect((await api(stack, 'POST', '/api/meta/generated-tools', body)).status).toBe(400);
  }
  expect(
    (await api(stack, 'POST', '/api/meta/generated-tools', { prediction_id: 'pred-planner-unserved_requests' })).status,
  ).toBe(404);
  expect((await api(stack, 'GET', '/api/meta/generated-tools/gen-nope')).status).toBe(404);
  expect(fake.requests.filter((r) => JSON.stringify(r.body).includes('make a tool that sums'))).toHaveLength(0);
});
