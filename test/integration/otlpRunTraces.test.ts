import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { evolveWorkflowId } from '../../domain/evolution';
import { generationWorkflowId } from '../../domain/generation';
import { api, waitUntil } from '../../harness/client';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../harness/otlpReceiver';
import { startTestStack, type TestStack } from '../../harness/stack';
import { runTraceId } from '../../telemetry/traceIds';
import { stopTracing } from '../../telemetry/tracingSetup';
import { FakeOpenAi, startFakeOpenAi } from '../support/fakeOpenAi';
import { draftReply, REVERSE, REVERSE_CASES, toolCode } from '../support/generatedToolReplies';
import { orphans, settledTrace } from '../support/receivedTraces';
import { suiteFor, tunableComponent } from '../support/tunableComponent';

/**
 * Traces of the runs that are not chat turns, against a real OTLP/HTTP receiver: an evolution
 * whose candidate a model (the real `openai` client against a fake that speaks the wire
 * protocol) rewrites, an A/B experiment of two given versions, and a tool generation each arrive
 * as one connected trace: the run as the root, its steps as spans with their OpenInference kinds,
 * the model's call as an LLM span with its tokens, and the API's start of the workflow (Temporal's
 * client span) hanging from the root.
 */
let receiver: OtlpReceiver;
let fake: FakeOpenAi;
let stack: TestStack;
let dir: string;

const COMPONENT = 'traced_rewrite';
/** Multiplies by `factor`; its suite wants ×3. */
const multiplier = (factor: number) => tunableComponent(COMPONENT, factor);
const versionOf = (code: string) => createHash('sha256').update(code).digest('hex').slice(0, 12);
/** What the fake reports for every plain completion. */
const USAGE = { input: 10, output: 5 };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  fake = await startFakeOpenAi();
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-run-traces-'));
  await mkdir(path.join(dir, 'components', 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'suites'));
  await writeFile(path.join(dir, 'components', 'tools', `${COMPONENT}.js`), multiplier(1));
  await writeFile(path.join(dir, 'suites', `${COMPONENT}.json`), JSON.stringify(suiteFor(COMPONENT)));
  process.env.OTEL_BSP_SCHEDULE_DELAY = '200';
  stack = await startTestStack('run_traces', {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    EVOSCOPE_COMPONENTS_DIR: path.join(dir, 'components'),
    EVOSCOPE_SUITES_DIR: path.join(dir, 'suites'),
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: 'sk-test',
    LLM_MODEL: 'fake-model',
  });
  await api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 });
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' })).status).toBe(200);
});
afterEach(() => fake.assertScriptDone());
afterAll(async () => {
  await stack?.stop();
  await stopTracing();
  await receiver?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});
// Experiments are CPU-bound (sandboxed cases), and CI runs two test files at once on 2 cores.
jest.setTimeout(600_000);

/** The run's trace once its root arrived (sent last, by its last activity) and Temporal's start of it. */
const runTrace = (workflowId: string, workflowType: string) =>
  settledTrace(
    receiver,
    runTraceId(workflowId),
    (spans) => spans.some((s) => s.parentSpanId === '') && spans.some((s) => s.name === `StartWorkflow:${workflowType}`),
  );

/** One root, every other span's parent in the trace, Temporal's spans among them; the spans by step key. */
function expectConnected(spans: ReceivedSpan[], rootName: string, workflowType: string) {
  const roots = spans.filter((s) => s.parentSpanId === '');
  expect(roots.map((s) => s.name)).toEqual([rootName]);
  expect(orphans(spans)).toEqual([]);
  expect(spans.find((s) => s.name === `StartWorkflow:${workflowType}`)!.parentSpanId).toBe(roots[0].spanId);
  const step = (key: string) => {
    const found = spans.find((s) => s.attributes['evoscope.step.key'] === key);
    if (!found) throw new Error(`no span for step ${key}: ${spans.map((s) => s.name).join(', ')}`);
    return found;
  };
  return { root: roots[0], step };
}

const decided = (id: string) =>
  waitUntil(
    `experiment ${id} to be decided`,
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
      return e?.decision && e.decision.outcome !== 'pending' ? e : null;
    },
    240_000,
  );

/** The LLM span of a model call to the fake, in both vocabularies. */
const expectModelCall = (span: ReceivedSpan, parent: ReceivedSpan) => {
  expect(span.parentSpanId).toBe(parent.spanId);
  expect(span.attributes).toMatchObject({
    'openinference.span.kind': 'LLM',
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': new URL(fake.baseUrl).host,
    'gen_ai.request.model': 'fake-model',
    'llm.model_name': 'fake-model',
    'gen_ai.usage.input_tokens': USAGE.input,
    'gen_ai.usage.output_tokens': USAGE.output,
    'llm.token_count.prompt': USAGE.input,
    'llm.token_count.completion': USAGE.output,
    'llm.token_count.total': USAGE.input + USAGE.output,
  });
};

test('an evolution: the proposal with its model call, the experiment with both suite runs, the decision and the promotion', async () => {
  const before = (await api(stack, 'GET', `/api/meta/components/${COMPONENT}`)).body.current_version;
  const rewrite = multiplier(3);
  fake.enqueue('plain', { content: `Here:\n\n\`\`\`js\n${rewrite}\`\`\`\n` });
  const started = await api(stack, 'POST', '/api/sandbox/experiments', { component: COMPONENT, goal: 'multiply by 3', seed: 7 });
  expect(started.status).toBe(202);
  const id: string = started.body.experiment_id;
  expect((await decided(id)).decision.outcome).toBe('promoted');

  const spans = await runTrace(evolveWorkflowId(id), 'evolveComponent');
  const { root, step } = expectConnected(spans, `evolution: ${COMPONENT}`, 'evolveComponent');
  expect(root.attributes).toMatchObject({
    'openinference.span.kind': 'CHAIN',
    'evoscope.evolution.id': id,
    'evoscope.component': COMPONENT,
    'evoscope.decision.outcome': 'promoted',
  });

  const propose = step('propose');
  expect(propose.parentSpanId).toBe(root.spanId);
  expect(propose.attributes).toMatchObject({
    'openinference.span.kind': 'CHAIN',
    'evoscope.proposal.kind': 'rewrite',
    'evoscope.proposal.version': versionOf(rewrite),
  });
  expectModelCall(step('propose/model'), propose);

  const experiment = step(`experiment:${id}`);
  expect(experiment.parentSpanId).toBe(root.spanId);
  expect(experiment.attributes).toMatchObject({
    'openinference.span.kind': 'EVALUATOR',
    'evoscope.experiment.verdict': 'b_better',
  });
  expect(experiment.attributes['evoscope.experiment.effect']).toBeGreaterThan(0);
  expect(experiment.attributes['evoscope.experiment.p_value']).toBeLessThan(0.05);
  const cases = suiteFor(COMPONENT).cases.length;
  for (const [arm, version, passed] of [
    ['a', before, 0],
    ['b', versionOf(rewrite), cases],
  ] as const) {
    const suite = step(`experiment:${id}/suite:${arm}`);
    expect(suite.parentSpanId).toBe(experiment.spanId);
    expect(suite.attributes).toMatchObject({
      'openinference.span.kind': 'EVALUATOR',
      'evoscope.component.version': version,
      'evoscope.suite.outcome': passed === cases ? 'passed' : 'failed',
      'evoscope.suite.cases': cases,
      'evoscope.suite.passed': passed,
    });
    // The arm ran within the experiment.
    expect(suite.startMs).toBeGreaterThanOrEqual(experiment.startMs);
    expect(suite.endMs).toBeLessThanOrEqual(experiment.endMs);
  }
  expect(step(`decision:${id}:promoted`).attributes).toMatchObject({
    'openinference.span.kind': 'CHAIN',
    'evoscope.decision.action': 'promote',
    'evoscope.decision.decided_by': 'system',
  });
  const promotion = spans.find((s) => s.attributes['evoscope.change.kind'] === 'promote')!;
  expect(promotion.parentSpanId).toBe(root.spanId);
  expect(promotion.attributes).toMatchObject({
    'openinference.span.kind': 'TOOL',
    'evoscope.change.changed': true,
    'evoscope.change.to_version': versionOf(rewrite),
  });
  // The run's steps in the order they ran, inside the root.
  expect(propose.endMs).toBeLessThanOrEqual(experiment.startMs);
  expect(root.startMs).toBeLessThanOrEqual(propose.startMs);
  expect(root.endMs).toBeGreaterThanOrEqual(promotion.endMs);
});

test('an A/B experiment of two given versions: no proposal, both suite runs under the experiment, its decision', async () => {
  const current = (await api(stack, 'GET', `/api/meta/components/${COMPONENT}`)).body;
  const older = current.versions.find((v: { version: string }) => v.version !== current.current_version).version;
  const started = await api(stack, 'POST', '/api/sandbox/experiments', {
    component: COMPONENT,
    version_a: current.current_version,
    version_b: older,
  });
  expect(started.status).toBe(202);
  const id: string = started.body.experiment_id;
  const done = await decided(id);

  const spans = await runTrace(evolveWorkflowId(id), 'evolveComponent');
  const { root, step } = expectConnected(spans, `evolution: ${COMPONENT}`, 'evolveComponent');
  expect(spans.some((s) => s.attributes['evoscope.step.key'] === 'propose')).toBe(false);
  const experiment = step(`experiment:${id}`);
  expect(experiment.attributes).toMatchObject({ 'evoscope.experiment.verdict': 'a_better' });
  for (const arm of ['a', 'b']) expect(step(`experiment:${id}/suite:${arm}`).parentSpanId).toBe(experiment.spanId);
  expect(step(`decision:${id}:${done.decision.outcome}`).parentSpanId).toBe(root.spanId);
  expect(spans.some((s) => s.attributes['evoscope.change.kind'] === 'promote')).toBe(false);
});

test('a tool generation: the draft with its model call and its suite run, the accepted suite, the promotion and the decision', async () => {
  const code = toolCode('traced_reverse', REVERSE);
  fake.enqueue('plain', { content: draftReply(code, REVERSE_CASES) });
  const started = await api(stack, 'POST', '/api/meta/generated-tools', { request: 'reverse a text', by: 'ada' });
  expect(started.status).toBe(202);
  const id: string = started.body.generation_id;
  const atStage = (stage: string) =>
    waitUntil(
      `generation ${id} at ${stage}`,
      async () => (await api(stack, 'GET', `/api/meta/generated-tools/${id}`)).body?.stage === stage,
      120_000,
    );
  await atStage('awaiting_suite');
  const accepted = await api(stack, 'POST', `/api/meta/generated-tools/${id}/accept-suite`, { by: 'ada', cases: REVERSE_CASES });
  expect(accepted.status).toBe(200);
  await atStage('done');

  const spans = await runTrace(generationWorkflowId(id), 'generateTool');
  const { root, step } = expectConnected(spans, 'tool generation: traced_reverse', 'generateTool');
  expect(root.attributes).toMatchObject({
    'evoscope.generation.id': id,
    'evoscope.component': 'traced_reverse',
    'gen_ai.request.model': 'fake-model',
    'evoscope.decision.outcome': 'promoted',
  });
  const draft = step('draft');
  expect(draft.attributes).toMatchObject({ 'openinference.span.kind': 'CHAIN', 'evoscope.draft.drafted': true });
  expectModelCall(step('draft/model'), draft);
  const cases = REVERSE_CASES.length;
  const drafted = step('draft/suite');
  expect(drafted.parentSpanId).toBe(draft.spanId);
  expect(drafted.attributes).toMatchObject({
    'openinference.span.kind': 'EVALUATOR',
    'evoscope.suite.outcome': 'passed',
    'evoscope.suite.passed': cases,
  });
  expect(step('test').attributes).toMatchObject({
    'openinference.span.kind': 'EVALUATOR',
    'evoscope.suite.cases': cases,
    'evoscope.suite.passed': cases,
  });
  expect(step('promote').attributes).toMatchObject({ 'openinference.span.kind': 'TOOL', 'evoscope.change.kind': 'promote' });
  expect(step('decision').attributes).toMatchObject({
    'evoscope.decision.outcome': 'promoted',
    'evoscope.decision.decided_by': 'system',
  });
  for (const key of ['draft', 'test', 'promote', 'decision']) expect(step(key).parentSpanId).toBe(root.spanId);
});
