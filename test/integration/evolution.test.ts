import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { api, openChannel, waitUntil } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import { evolveWorkflowId } from '../../domain/evolution';
import { suiteFor, tunableComponent } from '../support/tunableComponent';

/**
 * The evolution engine on the real stack (Temporal dev server, FerretDB, isolated-vm), over a
 * temporary copy of components/ (the repo's folder is never touched) plus a `scaler` component
 * whose default is deliberately wrong, so the offline operator has a real winner to find.
 */
const SCALER = (factor: number) => tunableComponent('scaler', factor);
const SCALER_SUITE = suiteFor('scaler');

let stack: TestStack;
let dir: string;
let componentsDir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-evolution-'));
  componentsDir = path.join(dir, 'components');
  const suitesDir = path.join(dir, 'suites');
  await cp(path.resolve(__dirname, '../../components'), componentsDir, {
    recursive: true,
    filter: (src) => !src.endsWith('.ts') && !src.endsWith('.md'),
  });
  await writeFile(path.join(componentsDir, 'tools', 'scaler.js'), SCALER(1));
  await mkdir(suitesDir);
  await cp(path.resolve(__dirname, '../../datasets/suites'), suitesDir, { recursive: true });
  await writeFile(path.join(suitesDir, 'scaler.json'), JSON.stringify(SCALER_SUITE));
  stack = await startTestStack('evolution', { EVOSCOPE_COMPONENTS_DIR: componentsDir, EVOSCOPE_SUITES_DIR: suitesDir });
  await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

// Generous: experiments are CPU-bound (hundreds of sandboxed cases), and CI runs two test files at once on 2 cores.
const EXPERIMENT_WAIT_MS = 240_000;
jest.setTimeout(600_000);

const component = async (id: string) => (await api(stack, 'GET', `/api/meta/components/${id}`)).body;
const finished = (id: string) =>
  waitUntil(
    `experiment ${id}`,
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
      return e?.decision && e.decision.outcome !== 'pending' ? e : null;
    },
    EXPERIMENT_WAIT_MS,
  );
const awaitingApproval = (id: string) =>
  waitUntil(
    `experiment ${id} to await approval`,
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
      return e?.status === 'awaiting_approval' ? e : null;
    },
    EXPERIMENT_WAIT_MS,
  );

test('components are seeded into versions with lineage, dependencies and creator', async () => {
  const list = (await api(stack, 'GET', '/api/meta/components')).body.components;
  expect(list.map((c: any) => c.name).sort()).toEqual([
    'calculator',
    'docs_retriever',
    'intent_analyser',
    'model_selector',
    'planner',
    'responder',
    'scaler',
    'session_memory',
    'unit_convert',
  ]);
  const retriever = list.find((c: any) => c.name === 'docs_retriever');
  expect(retriever.versions).toHaveLength(1);
  expect(retriever.versions[0]).toMatchObject({
    version: retriever.current_version,
    parents: [],
    status: 'current',
    creator: { kind: 'seed' },
  });
  expect(retriever.versions[0].dependencies).toEqual(expect.arrayContaining(['input:documents', 'tunable:k1']));
});

test('an outside edit becomes a new version; rollback restores file and current version', async () => {
  const file = path.join(componentsDir, 'tools', 'calculator.js');
  const original = await readFile(file, 'utf8');
  const before = await component('calculator');
  await writeFile(file, original.replace('precision: { default: 12,', 'precision: { default: 10,'));
  const after = await waitUntil(
    'the watcher to record the edit',
    async () => {
      const c = await component('calculator');
      return c.current_version !== before.current_version ? c : null;
    },
    60_000,
  );
  const edited = after.versions.find((v: any) => v.version === after.current_version);
  expect(edited).toMatchObject({
    parents: [before.current_version],
    creator: { kind: 'file_watcher' },
    params: { precision: 10 },
  });
  expect(after.changes.at(-1)).toMatchObject({
    kind: 'file_edit',
    from_version: before.current_version,
    to_version: after.current_version,
  });

  const diff = (
    await api(stack, 'GET', `/api/meta/components/calculator/diff/${before.current_version}/${after.current_version}`)
  ).body;
  expect(diff.unified).toContain('-    precision: { default: 12,');
  expect(diff.unified).toContain('+    precision: { default: 10,');
  expect(diff.hunks).toHaveLength(1);

  const rolled = await api(stack, 'POST', `/api/meta/components/calculator/rollback/${before.current_version}`, {
    by: 'tester',
    reason: 'undo',
  });
  expect(rolled.status).toBe(200);
  expect(rolled.body).toMatchObject({
    from: after.current_version,
    to: before.current_version,
    component: { current_version: before.current_version },
  });
  expect(await readFile(file, 'utf8')).toBe(original);
  const history = await component('calculator');
  expect(history.changes.at(-1)).toMatchObject({
    kind: 'rollback',
    to_version: before.current_version,
    by: { kind: 'rollback', detail: 'tester' },
  });
  // The watcher sees the rolled-back file as the current version: nothing new is recorded.
  await new Promise((r) => setTimeout(r, 600));
  expect((await component('calculator')).versions).toHaveLength(2);
  // The metrics count statuses as derived from the changes: the rolled-back edit is previous, not a second current.
  const metrics = (await api(stack, 'GET', '/api/system/metrics')).body;
  expect(metrics).toMatchObject({ active_versions: metrics.total_components, deprecated_versions: 1 });

  const timeline = (await api(stack, 'GET', '/api/meta/evolution/timeline')).body.timeline.map((e: any) => e.data.type);
  expect(timeline).toEqual(expect.arrayContaining(['component_generated', 'component_modified', 'version_rolled_back']));
});

test('the diff route shows the whole file with ?context=all and refuses a bad context', async () => {
  const [a, b] = (await component('calculator')).versions.map((v: any) => v.version);
  const route = `/api/meta/components/calculator/diff/${a}/${b}`;
  const whole = (await api(stack, 'GET', `${route}?context=all`)).body;
  const code: string = (await api(stack, 'GET', `/api/meta/components/calculator/versions/${b}`)).body.code;
  expect(whole.hunks).toHaveLength(1);
  expect(whole.hunks[0].lines.filter((l: any) => l.op !== 'remove').map((l: any) => l.text)).toEqual(
    code.replace(/\n$/, '').split('\n'),
  );
  expect([whole.added, whole.removed]).toEqual([1, 1]);
  const bad = await api(stack, 'GET', `${route}?context=banana`);
  expect(bad.status).toBe(400);
  expect(bad.body).toEqual({ error: 'BAD_USER_INPUT', message: 'context: not a number of lines or "all"' });
});

test('a new file becomes a component (component_generated)', async () => {
  await writeFile(path.join(componentsDir, 'tools', 'echo.js'), SCALER(1).replace("name: 'scaler'", "name: 'echo_tool'"));
  const c = await waitUntil(
    'the new component',
    async () => (await api(stack, 'GET', '/api/meta/components/echo_tool')).body?.current_version,
    60_000,
  );
  expect(c).toMatch(/^[0-9a-f]{12}$/);
});

test('manual: the offline operator finds the winner, the experiment waits, a person approves, the file changes', async () => {
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level: 'manual' })).status).toBe(200);
  const meta = await openChannel(stack, '/ws/meta');
  const before = await component('scaler');
  const started = await api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', seed: 3, repetitions: 2 });
  expect(started.status).toBe(202);
  const waiting = await awaitingApproval(started.body.experiment_id);
  expect(waiting.conclusion).toMatchObject({ verdict: 'b_better', n: 8 });
  expect(waiting.conclusion.p_value).toBeLessThan(0.05);
  expect(waiting.suite.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(waiting.results_b.cases).toHaveLength(18);
  expect((await component('scaler')).current_version).toBe(before.current_version);

  const approved = await api(stack, 'POST', `/api/sandbox/experiments/${waiting.id}/approve`, { by: 'ada' });
  expect(approved.body).toMatchObject({ status: 'approved', decision: { outcome: 'promoted', decided_by: 'ada' } });
  const now = await component('scaler');
  expect(now.current_version).toBe(waiting.version_b);
  expect(await readFile(path.join(componentsDir, 'tools', 'scaler.js'), 'utf8')).toContain('factor: { default: 3,');
  expect((await api(stack, 'POST', `/api/sandbox/experiments/${waiting.id}/approve`, {})).status).toBe(409);

  for (const type of ['experiment_started', 'test_completed', 'learning_progress', 'learning_iteration', 'version_promoted']) {
    await meta.waitFor((m) => m.type === 'meta_event' && m.data.type === type, 60_000);
  }
  meta.close();
});

test('full: with nothing left to gain the operator proposes nothing, and nothing is promoted', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
  const started = await api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', seed: 4 });
  const done = await finished(started.body.experiment_id);
  expect(done.decision).toMatchObject({ outcome: 'not_promoted' });
});

test('full: an explicit losing candidate (the old version) is never promoted; a winner is, by the system', async () => {
  const c = await component('scaler');
  const old = c.versions.find((v: any) => v.version !== c.current_version).version;
  const lost = await finished(
    (await api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_b: old })).body.experiment_id,
  );
  expect(lost.conclusion.verdict).toBe('a_better');
  expect(lost.decision.outcome).toBe('not_promoted');
  expect((await component('scaler')).current_version).toBe(c.current_version);

  // Roll back to the weak version, then let the system promote the stronger one at full autonomy.
  await api(stack, 'POST', `/api/meta/components/scaler/rollback/${old}`);
  const win = await finished(
    (await api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_b: c.current_version })).body
      .experiment_id,
  );
  expect(win.decision).toMatchObject({ outcome: 'promoted', decided_by: 'system', autonomy_level: 'full' });
  expect((await component('scaler')).current_version).toBe(c.current_version);
});

test('any two versions: an older A against the current B is compared and promotes nothing; bad pairs are refused', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
  const c = await component('scaler');
  const old = c.versions.find((v: any) => v.version !== c.current_version).version;
  const before = (await api(stack, 'GET', '/api/sandbox/experiments')).body.experiments.length;
  const refused = await Promise.all([
    api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_a: old, version_b: old }),
    api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_b: c.current_version }),
    api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_a: 'abcdefabcdef', version_b: old }),
    api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_a: 'HEAD' }),
  ]);
  expect(refused.map((r) => r.status)).toEqual([400, 400, 404, 400]);
  expect(refused[0].body.message).toMatch(/version_a and version_b must differ/);
  expect((await api(stack, 'GET', '/api/sandbox/experiments')).body.experiments.length).toBe(before);

  const compared = await finished(
    (await api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', version_a: old, version_b: c.current_version }))
      .body.experiment_id,
  );
  expect(compared).toMatchObject({ version_a: old, version_b: c.current_version, status: 'completed' });
  expect(compared.conclusion.verdict).toBe('b_better');
  expect(compared.decision).toMatchObject({ outcome: 'not_promoted', decided_by: 'system' });
  expect(compared.decision.reason).toMatch(/^comparison only/);
  expect((await component('scaler')).current_version).toBe(c.current_version);
});

test('change rules, predictions and execute, GraphQL and the /ws/meta timeline', async () => {
  const bad = await api(stack, 'PUT', '/api/meta/change-rules', { min_improvement: 7 });
  expect(bad.status).toBe(400);
  const rules = await api(stack, 'PUT', '/api/meta/change-rules', { protected_components: ['calculator'] });
  expect(rules.body.protected_components).toEqual(['calculator']);

  const predictions = (await api(stack, 'GET', '/api/system/predictions')).body.predictions;
  expect(predictions.length).toBeGreaterThan(0);
  for (const p of predictions) {
    expect(p.priority).toBeGreaterThanOrEqual(1);
    expect(p.priority).toBeLessThanOrEqual(10);
    expect(p).toHaveProperty('expected_improvement');
    expect(p).toHaveProperty('confidence');
    expect(p).toHaveProperty('estimated_effort');
  }
  const runnable = predictions.find((p: any) => p.executable && p.component_id === 'calculator');
  expect(runnable).toBeTruthy();
  const executed = await api(stack, 'POST', `/api/system/predictions/${runnable.id}/execute`);
  expect(executed.status).toBe(202);
  await finished(executed.body.experiment_id);
  const after = (await api(stack, 'GET', '/api/system/predictions')).body.predictions;
  expect(after.find((p: any) => p.id === runnable.id)).toBeTruthy();
  // Settling is announced once; recomputing unchanged predictions is not announced at all.
  const metaTypes = async () => (await api(stack, 'GET', '/api/meta/evolution/timeline')).body.timeline.map((e: any) => e.data);
  expect(
    (await metaTypes()).filter((d: any) => d.type === 'prediction_settled' && d.experiment_id === executed.body.experiment_id),
  ).toHaveLength(1);
  const announced = async () => (await metaTypes()).filter((d: any) => d.type === 'predictions_updated').length;
  const before = await announced();
  await api(stack, 'GET', '/api/system/predictions');
  await api(stack, 'GET', '/api/system/predictions');
  expect(await announced()).toBe(before);

  const gql = await fetch(`${stack.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
    body: JSON.stringify({
      query:
        '{ components { name current_version versions { version created_by } } experiments { id status conclusion } change_rules }',
    }),
  }).then((r) => r.json());
  expect(gql.errors).toBeUndefined();
  expect(gql.data.components.length).toBeGreaterThanOrEqual(5);
  expect(gql.data.experiments.length).toBeGreaterThanOrEqual(4);

  const client = createClient({
    url: `${stack.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token: stack.token },
  });
  const seen: string[] = [];
  const stop = client.subscribe(
    { query: 'subscription { meta_events(after_seq: 0) { seq type } }' },
    { next: (v) => seen.push((v.data as any).meta_events.type), error: () => undefined, complete: () => undefined },
  );
  await waitUntil('meta events over graphql-ws', async () => seen.includes('version_promoted'), 60_000);
  stop();
  await client.dispose();

  const meta = await openChannel(stack, '/ws/meta');
  const initial = await meta.waitFor((m) => m.type === 'initial_state');
  expect(initial.data.timeline.length).toBeGreaterThan(5);
  expect(initial.data.timeline.map((e: any) => e.data.type)).toEqual(
    expect.arrayContaining(['version_promoted', 'learning_iteration']),
  );
  meta.close();
});

test('an evolution whose workflow fails before it stores anything reads as failed, not running', async () => {
  const evolutionId = 'exp-closed-early';
  const handle = await stack.temporal.workflow.start('evolveComponent', {
    taskQueue: stack.env.EVOSCOPE_TASK_QUEUE,
    workflowId: evolveWorkflowId(evolutionId),
    args: [
      {
        evolutionId,
        component: 'no_such_component',
        goal: null,
        predictionId: null,
        seed: 1,
        candidateVersion: null,
        repetitions: 1,
        requestedBy: 'test',
      },
    ],
  });
  await expect(handle.result()).rejects.toThrow();
  const read = await api(stack, 'GET', `/api/sandbox/experiments/${evolutionId}`);
  expect(read.body).toMatchObject({ id: evolutionId, status: 'failed', stage: 'workflow failed' });
});

test('a refused candidate is not proposed again: the same search moves on to another mutant', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'manual' });
  await writeFile(path.join(dir, 'suites', 'probe.json'), JSON.stringify(suiteFor('probe')));
  await writeFile(path.join(componentsDir, 'tools', 'probe.js'), SCALER(1).replace("name: 'scaler'", "name: 'probe'"));
  await waitUntil(
    'the probe component',
    async () => (await api(stack, 'GET', '/api/meta/components/probe')).body?.current_version,
    60_000,
  );
  const evolve = async () => {
    const id = (await api(stack, 'POST', '/api/sandbox/experiments', { component: 'probe', seed: 3 })).body.experiment_id;
    // Settled: decided, or waiting for a person (its decision so far is "pending").
    return waitUntil(
      `experiment ${id} to settle`,
      async () => {
        const e = (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
        return e?.decision ? e : null;
      },
      EXPERIMENT_WAIT_MS,
    );
  };
  const first = await evolve();
  expect(first.status).toBe('awaiting_approval');
  expect(
    (await api(stack, 'POST', `/api/sandbox/experiments/${first.id}/reject`, { by: 'ada', reason: 'not this one' })).body.status,
  ).toBe('rejected');
  // Same seed, same mutants: the refused one is skipped (another is tried, or none is left).
  const second = await evolve();
  expect(second.version_b).not.toBe(first.version_b);
  expect((await component('probe')).versions.find((v: any) => v.version === first.version_b).status).toBe('rejected');
  if (second.status === 'awaiting_approval')
    await api(stack, 'POST', `/api/sandbox/experiments/${second.id}/reject`, { by: 'ada' });
});

test('bad input is refused', async () => {
  expect((await api(stack, 'POST', '/api/sandbox/experiments', { component: 'nope' })).status).toBe(404);
  expect((await api(stack, 'POST', '/api/sandbox/experiments', { component: 'session_memory' })).status).toBe(409);
  expect((await api(stack, 'GET', '/api/meta/components/calculator/diff/zz/yy')).status).toBe(400);
  expect((await api(stack, 'POST', '/api/meta/components/calculator/rollback/000000000000')).status).toBe(404);
  expect((await api(stack, 'GET', '/api/sandbox/experiments/no-such')).status).toBe(404);
});
