import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { api, waitUntil } from '../../harness/client';
import { FakeOpenAi, RecordedRequest, startFakeOpenAi } from '../support/fakeOpenAi';
import { startTestStack, TestStack } from '../../harness/stack';
import { suiteFor, tunableComponent } from '../support/tunableComponent';

/**
 * The evolution engine's model path on the real stack (Temporal dev server, FerretDB,
 * isolated-vm): a configured endpoint is asked to rewrite a component, through the real
 * `openai` client against a local fake that speaks the OpenAI wire protocol. Every
 * component here is wrong on purpose (×1 or ×2 where its suite wants ×3), and each test
 * evolves its own component, so no test depends on what another promoted.
 */

/** A tool without tunables: a rewrite is the only way to change it. */
const fixedMultiplier = (name: string, factor: number) => `var component = {
  name: '${name}',
  type: 'tool',
  description: 'Multiplies x by ${factor}.',
  input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
  run: function (input) {
    return { result: input.x * ${factor} };
  },
};
`;

const COMPONENTS: Record<string, string> = {
  semi_rewrite: tunableComponent('semi_rewrite', 1),
  full_rewrite: fixedMultiplier('full_rewrite', 2),
  bad_rewrite: fixedMultiplier('bad_rewrite', 2),
  fallback_rewrite: tunableComponent('fallback_rewrite', 1),
  flaky_endpoint: fixedMultiplier('flaky_endpoint', 2),
};

const GOAL = 'multiply by three, as the suite expects';
const fenced = (code: string) => `Here is the improved file:\n\n\`\`\`js\n${code}\`\`\`\n`;
const versionOf = (code: string) => createHash('sha256').update(code).digest('hex').slice(0, 12);

let stack: TestStack;
let fake: FakeOpenAi;
let dir: string;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-model-rewrite-'));
  await mkdir(path.join(dir, 'components', 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'suites'));
  for (const [name, code] of Object.entries(COMPONENTS)) {
    await writeFile(path.join(dir, 'components', 'tools', `${name}.js`), code);
    await writeFile(path.join(dir, 'suites', `${name}.json`), JSON.stringify(suiteFor(name)));
  }
  stack = await startTestStack('model_rewrite', {
    EVOSCOPE_COMPONENTS_DIR: path.join(dir, 'components'),
    EVOSCOPE_SUITES_DIR: path.join(dir, 'suites'),
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'fake-model',
  });
  await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 });
});
afterEach(() => fake.assertScriptDone());
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

// Experiments are CPU-bound (sandboxed cases), and CI runs two test files at once on 2 cores.
const EXPERIMENT_WAIT_MS = 240_000;
jest.setTimeout(600_000);

const component = async (name: string) => (await api(stack, 'GET', `/api/meta/components/${name}`)).body;
const setAutonomy = async (level: string) =>
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level })).status).toBe(200);
const experimentWhen = (id: string, what: string, done: (e: any) => boolean) =>
  waitUntil(
    `experiment ${id} ${what}`,
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
      return e?.decision && done(e) ? e : null;
    },
    EXPERIMENT_WAIT_MS,
  );
const decided = (id: string) => experimentWhen(id, 'to be decided', (e) => e.decision.outcome !== 'pending');

/** Starts an evolution of `name` with the goal; returns the experiment id and the requests the model has received since. */
async function evolve(name: string) {
  const asked = fake.requests.length;
  const started = await api(stack, 'POST', '/api/sandbox/experiments', { component: name, goal: GOAL, seed: 7 });
  expect(started.status).toBe(202);
  return { id: started.body.experiment_id as string, requests: () => fake.requests.slice(asked) };
}

/** The rewrite request carried the system contract, the goal, the failing cases and the whole current file. */
function expectRewriteRequest(request: RecordedRequest, currentCode: string) {
  expect(request.authorization).toBe('Bearer sk-test');
  expect(request.body).toMatchObject({ model: 'fake-model' });
  expect(request.body.stream).toBeFalsy();
  const [system, user] = request.body.messages as { role: string; content: string }[];
  expect(system).toMatchObject({ role: 'system', content: expect.stringContaining('var component = {') });
  expect(user.role).toBe('user');
  expect(user.content).toContain(`Goal: ${GOAL}`);
  expect(user.content).toContain('- x0: ');
  expect(user.content).toContain(currentCode);
}

test('semi_auto: a rewrite that fixes the component wins on the sandbox, and waits for a person because rewrites are critical', async () => {
  await setAutonomy('semi_auto');
  const before = await component('semi_rewrite');
  const rewrite = fixedMultiplier('semi_rewrite', 3);
  fake.enqueue('plain', { content: fenced(rewrite) });

  const { id, requests } = await evolve('semi_rewrite');
  const waiting = await experimentWhen(id, 'to await approval', (e) => e.status === 'awaiting_approval');
  expectRewriteRequest(requests()[0], COMPONENTS.semi_rewrite);
  expect(waiting).toMatchObject({ version_a: before.current_version, version_b: versionOf(rewrite), goal: GOAL });
  expect(waiting.conclusion).toMatchObject({ verdict: 'b_better', winner: versionOf(rewrite) });
  expect(waiting.results_a.cases.some((c: any) => c.passed)).toBe(false);
  expect(waiting.results_b.cases.every((c: any) => c.passed)).toBe(true);
  expect(waiting.decision).toMatchObject({
    action: 'await_approval',
    reason: 'a code rewrite is critical at semi_auto: a person decides',
    autonomy_level: 'semi_auto',
  });

  const pending = await component('semi_rewrite');
  expect(pending.current_version).toBe(before.current_version);
  expect(pending.versions.find((v: any) => v.version === versionOf(rewrite))).toMatchObject({
    parents: [before.current_version],
    status: 'candidate',
    creator: { kind: 'prompt', detail: `fake-model: ${GOAL}` },
  });

  const approved = await api(stack, 'POST', `/api/sandbox/experiments/${id}/approve`, { by: 'ada' });
  expect(approved.body).toMatchObject({ status: 'approved', decision: { outcome: 'promoted', decided_by: 'ada' } });
  expect((await component('semi_rewrite')).current_version).toBe(versionOf(rewrite));
  expect(await readFile(path.join(dir, 'components', 'tools', 'semi_rewrite.js'), 'utf8')).toBe(rewrite);
});

test('full: a rewrite that fixes the component is promoted by the system', async () => {
  await setAutonomy('full');
  const before = await component('full_rewrite');
  const rewrite = fixedMultiplier('full_rewrite', 3);
  fake.enqueue('plain', { content: fenced(rewrite) });

  const { id, requests } = await evolve('full_rewrite');
  const done = await decided(id);
  expectRewriteRequest(requests()[0], COMPONENTS.full_rewrite);
  expect(done).toMatchObject({ status: 'approved', version_a: before.current_version, version_b: versionOf(rewrite) });
  expect(done.conclusion.verdict).toBe('b_better');
  expect(done.decision).toMatchObject({ outcome: 'promoted', decided_by: 'system', autonomy_level: 'full' });
  expect(done.decision.reason).toMatch(/^significant winner at autonomy level full/);
  const after = await component('full_rewrite');
  expect(after.current_version).toBe(versionOf(rewrite));
  expect(after.versions.find((v: any) => v.version === versionOf(rewrite)).creator).toEqual({
    kind: 'prompt',
    detail: `fake-model: ${GOAL}`,
  });
});

describe('a rewrite that cannot be a candidate leaves no version, and the evolution says why', () => {
  const renamed = fixedMultiplier('bad_rewrite', 3).replace("name: 'bad_rewrite'", "name: 'renamed'");
  test.each([
    [
      'a syntax error',
      fenced('var component = { name: "bad_rewrite", run: function (input) { return { result: input.x * 3 } };\n'),
      /^no candidate: the rewrite does not compile: Cannot read the component manifest \(invalid_component\): The component file failed to load: SyntaxError/,
    ],
    [
      'no run function',
      fenced(fixedMultiplier('bad_rewrite', 3).replace(/ {2}run: function[\s\S]*?\n {2}},\n/, '')),
      /^no candidate: the rewrite does not compile: .*must define var component = \{ \.\.\., run: function/,
    ],
    [
      'an invalid manifest',
      fenced(fixedMultiplier('bad_rewrite', 3).replace("type: 'tool'", "type: 'gadget'")),
      /^no candidate: the rewrite does not compile: Invalid component manifest/,
    ],
    ['a changed name', fenced(renamed), /^no candidate: the rewrite changed the component name or type$/],
    ['no code block', 'I would multiply by three.', /^no candidate: the model returned no code block$/],
    [
      'the current file unchanged',
      fenced(COMPONENTS.bad_rewrite),
      /^no candidate: the rewrite is identical to the current version$/,
    ],
  ])('%s', async (_, reply, reason) => {
    await setAutonomy('full');
    const before = await component('bad_rewrite');
    fake.enqueue('plain', { content: reply });

    const { id, requests } = await evolve('bad_rewrite');
    const done = await decided(id);
    expectRewriteRequest(requests()[0], COMPONENTS.bad_rewrite);
    expect(done).toMatchObject({
      status: 'completed',
      version_a: before.current_version,
      version_b: before.current_version,
      conclusion: null,
    });
    expect(done.decision).toMatchObject({ action: 'reject', outcome: 'not_promoted', decided_by: 'system' });
    expect(done.decision.reason).toMatch(reason);
    const after = await component('bad_rewrite');
    expect(after.current_version).toBe(before.current_version);
    expect(after.versions.map((v: any) => v.version)).toEqual([before.current_version]);
  });
});

test('a component with tunables falls back to the offline operator when the rewrite does not compile', async () => {
  await setAutonomy('full');
  const before = await component('fallback_rewrite');
  fake.enqueue('plain', { content: fenced('var component = {\n') });

  const { id, requests } = await evolve('fallback_rewrite');
  const done = await decided(id);
  expectRewriteRequest(requests()[0], COMPONENTS.fallback_rewrite);
  const versions = (await component('fallback_rewrite')).versions;
  expect(versions.some((v: any) => v.creator.kind === 'prompt')).toBe(false);
  const candidate = versions.find((v: any) => v.version === done.version_b);
  expect(done.version_a).toBe(before.current_version);
  expect(candidate).toMatchObject({ parents: [before.current_version], creator: { kind: 'experiment' }, params: { factor: 3 } });
  expect(done.decision).toMatchObject({ outcome: 'promoted', decided_by: 'system' });
  expect(done.decision.reason).not.toMatch(/code rewrite/);
});

test("an endpoint that keeps answering 500 fails the proposal after Temporal's retries; the failure is recorded, nothing is promoted", async () => {
  await setAutonomy('full');
  const before = await component('flaky_endpoint');
  for (let i = 0; i < 3; i++) fake.enqueue('plain', { errorStatus: 500 });

  const { id, requests } = await evolve('flaky_endpoint');
  const failed = await experimentWhen(id, 'to fail', (e) => e.status === 'failed');
  // One request per attempt of the proposing activity (maximumAttempts 3), then no more.
  expect(requests()).toHaveLength(3);
  for (const request of requests()) expectRewriteRequest(request, COMPONENTS.flaky_endpoint);
  expect(failed).toMatchObject({ version_a: before.current_version, version_b: before.current_version, conclusion: null });
  expect(failed.decision).toMatchObject({ action: 'reject', outcome: 'not_promoted', decided_by: 'system' });
  expect(failed.decision.reason).toMatch(/^the experiment failed while proposing: .*500/);
  const after = await component('flaky_endpoint');
  expect(after.current_version).toBe(before.current_version);
  expect(after.versions).toHaveLength(1);

  // The workflow itself ends failed (not stuck retrying a workflow task), after recording that.
  await expect(stack.temporal.workflow.getHandle(failed.workflow_id).result()).rejects.toThrow('Workflow execution failed');
});
