import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { z } from 'zod';
import { schema as graphqlSchema } from '../../api/graphql/schema';
import { SPEC_MODELS } from '../../api/openapi/document';
import { API_ROUTES } from '../../api/rest/apiRoutes';
import { ApiErrorBody } from '../../domain/apiError';
import { CHANNEL_MESSAGES } from '../../domain/channels';
import { ChatMessage, ChatSession } from '../../domain/chat';
import { ExecutionEdge, ExecutionGraph, ExecutionNode } from '../../domain/execution';
import { Component, Experiment, MetaEvent, Prediction, SystemMetrics } from '../../domain/meta';
import { api, openChannel, waitForTurn, waitUntil, type SocketRecorder } from '../../harness/client';
import { startTestStack, type TestStack } from '../../harness/stack';
import { suiteFor, tunableComponent } from '../support/tunableComponent';

/**
 * The contract, checked on the real stack: a real chat turn, a replay, a real A/B experiment
 * approved and rolled back, a prediction carried out; then every REST route's and every
 * WebSocket channel's real responses are validated against the domain's zod schemas (the same
 * ones the OpenAPI document is generated from). Spec fields are required by the schemas, so a
 * missing or renamed one fails. A client generated from /api/openapi.json with
 * openapi-typescript must type-check against the same responses.
 */
const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
jest.setTimeout(900_000);

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-conformance-'));
  const componentsDir = path.join(dir, 'components');
  const suitesDir = path.join(dir, 'suites');
  await cp(path.join(ROOT, 'components'), componentsDir, {
    recursive: true,
    filter: (src) => !src.endsWith('.ts') && !src.endsWith('.md'),
  });
  await writeFile(path.join(componentsDir, 'tools', 'scaler.js'), tunableComponent('scaler', 1));
  await mkdir(suitesDir);
  await cp(path.join(ROOT, 'datasets/suites'), suitesDir, { recursive: true });
  await writeFile(path.join(suitesDir, 'scaler.json'), JSON.stringify(suiteFor('scaler')));
  stack = await startTestStack('conformance', { EVOSCOPE_COMPONENTS_DIR: componentsDir, EVOSCOPE_SUITES_DIR: suitesDir });
});
afterAll(async () => {
  for (const c of channels) c.close();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

function conform(schema: z.ZodType, value: unknown, where: string) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `${where} does not conform: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}

/** Every REST response seen, by route, for the generated client's type-check. */
const recorded: { method: string; path: string; status: number; body: unknown }[] = [];
const routeKey = (method: string, template: string) => `${method.toUpperCase()} ${template}`;
/** Routes exercised through a refusal (their error body validated instead). */
const refusals = new Set<string>();

/** Calls a documented route and validates the response against the route's schema in the OpenAPI document's source. */
async function call(
  method: 'get' | 'post' | 'put',
  template: string,
  params: Record<string, string> = {},
  body?: unknown,
  query = '',
) {
  const route = API_ROUTES.find((r) => r.method === method && r.path === template);
  if (!route) throw new Error(`${routeKey(method, template)} is not a documented route`);
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name])) + query;
  const res = await api(stack, method.toUpperCase(), url, body);
  if (res.status !== route.status)
    throw new Error(`${routeKey(method, template)} answered ${res.status}: ${JSON.stringify(res.body)}`);
  conform(route.response, res.body, routeKey(method, template));
  recorded.push({ method, path: template, status: res.status, body: res.body });
  return res.body;
}

const channels: SocketRecorder[] = [];
async function channel(pathname: string) {
  const c = await openChannel(stack, pathname);
  channels.push(c);
  return c;
}

const state: {
  sessionId?: string;
  turnIds: string[];
  chat?: SocketRecorder;
  execution?: SocketRecorder;
  meta?: SocketRecorder;
  experimentId?: string;
  before?: string;
  after?: string;
} = { turnIds: [] };

test('every spec model is a GraphQL type with every field of its schema', () => {
  for (const [name, model] of Object.entries(SPEC_MODELS)) {
    const type = graphqlSchema.getType(name) as GraphQLObjectType;
    expect([name, Object.keys(model.shape).filter((key) => !(key in type.getFields()))]).toEqual([name, []]);
  }
});

test('chat: a real turn over REST and over /ws/chat, with both channels recorded', async () => {
  await call('post', '/api/system/autonomy/level', {}, { level: 'manual' });
  state.meta = await channel('/ws/meta');
  const session = await call('post', '/api/chat/sessions', {}, { title: 'conformance' });
  state.sessionId = session.id;
  state.chat = await channel(`/ws/chat/${session.id}`);
  state.execution = await channel(`/ws/execution/${session.id}`);
  const sent = await call(
    'post',
    '/api/chat/{session_id}/message',
    { session_id: session.id },
    { content: 'convert 5 km to miles' },
  );
  state.turnIds.push(sent.turn_id);
  await waitForTurn(stack, sent.turn_id);
  state.chat.send({ content: 'what is 12 * 7?' });
  const received = await state.chat.waitFor((m) => m.type === 'message_received');
  const turnId = `${session.id}:${received.message_id}`;
  state.turnIds.push(turnId);
  await waitForTurn(stack, turnId);
  await state.chat.waitFor(
    (m) => m.type === 'chat_event' && m.data.type === 'message_completed' && m.data.message.turn_id === turnId,
  );
  await state.execution.waitFor(
    (m) => m.type === 'execution_event' && m.data.type === 'graph_updated' && m.data.turn_id === turnId,
  );

  await call('get', '/api/chat/sessions');
  const page = await call('get', '/api/chat/{session_id}/messages', { session_id: session.id }, undefined, '?limit=10');
  expect(page.messages.length).toBe(4);
  expect(page.messages.every((m: ChatMessage) => m.node_id)).toBe(true);
  await call('post', '/api/chat/{session_id}/stop', { session_id: session.id });
  // A right mark teaches nothing: the suites the later tests evolve stay as shipped.
  const answer = page.messages.find((m: ChatMessage) => m.role === 'assistant');
  await call(
    'post',
    '/api/chat/{session_id}/messages/{message_id}/feedback',
    { session_id: session.id, message_id: answer.id },
    { verdict: 'right', taught_by: 'conformance' },
  );
  await call('get', '/api/meta/evolution/taught');
});

test('execution: the graph, a node, and a replay', async () => {
  const sessionId = state.sessionId!;
  const graph = await call('get', '/api/execution/{session_id}/graph', { session_id: sessionId });
  expect(graph.id).toBe(`graph:${sessionId}`);
  const tool = graph.nodes.find((n: ExecutionNode) => n.type === 'tool');
  expect(tool.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  expect(tool.execution_time).toBeCloseTo(tool.duration_ms / 1000);
  await call('get', '/api/execution/{session_id}/node/{node_id}', { session_id: sessionId, node_id: tool.id });
  const moved = await call(
    'put',
    '/api/execution/{session_id}/node/{node_id}/position',
    { session_id: sessionId, node_id: tool.id },
    { x: 40, y: 80 },
  );
  expect(moved.position).toEqual({ x: 40, y: 80 });
  await state.execution!.waitFor((m) => m.type === 'execution_event' && m.data.type === 'node_moved');
  await call('post', '/api/execution/{session_id}/replay/{node_id}', { session_id: sessionId, node_id: tool.id });
  const replayed = await waitUntil('the replay edge', async () => {
    const g = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body;
    return g.edges.find((e: ExecutionEdge) => e.source_node_id === tool.id && e.label === 'replay') ? g : null;
  });
  await waitUntil('the replayed node to finish', async () => {
    const edge = replayed.edges.find((e: ExecutionEdge) => e.source_node_id === tool.id && e.label === 'replay');
    const node = (await api(stack, 'GET', `/api/execution/${sessionId}/node/${encodeURIComponent(edge.target_node_id)}`)).body;
    return node.status !== 'pending' && node.status !== 'executing';
  });
  await call('get', '/api/execution/{session_id}/graph', { session_id: sessionId });
});

test("sandbox and meta: a real experiment from the spec's body, approved, diffed and rolled back", async () => {
  const before = (await call('get', '/api/meta/components/{component_id}', { component_id: 'scaler' })).current_version;
  const started = await call(
    'post',
    '/api/sandbox/experiments',
    {},
    {
      name: 'scaler factor',
      description: 'find the right factor',
      component_id: 'scaler',
      test_suite: ['scaler'],
      repetitions: 1,
      seed: 3,
    },
  );
  state.experimentId = started.experiment_id;
  const waiting = await waitUntil(
    'the experiment to await approval',
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${started.experiment_id}`)).body;
      return e?.status === 'awaiting_approval'
        ? e
        : e?.status === 'failed'
          ? Promise.reject(new Error(`experiment failed: ${JSON.stringify(e)}`))
          : null;
    },
    600_000,
  );
  expect(waiting).toMatchObject({
    name: 'scaler factor',
    description: 'find the right factor',
    component_id: 'scaler',
    version_a: before,
    test_suite: [waiting.suite.name],
  });
  await call('get', '/api/sandbox/experiments/{experiment_id}', { experiment_id: started.experiment_id });
  await call('get', '/api/sandbox/experiments');
  const approved = await call(
    'post',
    '/api/sandbox/experiments/{experiment_id}/approve',
    { experiment_id: started.experiment_id },
    { by: 'conformance' },
  );
  expect(approved.completed_at).toEqual(expect.any(String));
  // A decided experiment cannot be rejected: the refusal is an ApiError, and nothing changes.
  const refused = await api(stack, 'POST', `/api/sandbox/experiments/${started.experiment_id}/reject`, {});
  expect(refused.status).toBe(409);
  conform(ApiErrorBody, refused.body, 'reject of a decided experiment');
  refusals.add(routeKey('post', '/api/sandbox/experiments/{experiment_id}/reject'));

  state.before = before;
  state.after = approved.version_b;
  await call('get', '/api/meta/components');
  const history = await call('get', '/api/meta/components/{component_id}', { component_id: 'scaler' });
  expect(history.current_version).toBe(state.after);
  await call('get', '/api/meta/components/{component_id}/versions/{version}', { component_id: 'scaler', version: state.after! });
  await call(
    'get',
    '/api/meta/components/{component_id}/diff/{version_a}/{version_b}',
    { component_id: 'scaler', version_a: before, version_b: state.after! },
    undefined,
    '?context=2',
  );
  await call(
    'post',
    '/api/meta/components/{component_id}/rollback/{version}',
    { component_id: 'scaler', version: before },
    { by: 'conformance', reason: 'conformance test' },
  );
  await call('get', '/api/meta/evolution/timeline');
  const rejected = await api(stack, 'POST', '/api/sandbox/experiments', { component_id: 'scaler', test_suite: ['not-a-suite'] });
  expect(rejected.status).toBe(400);
  expect(rejected.body.message).toContain('test_suite');
});

test('system: metrics, autonomy, model, predictions (one carried out), schedule and change rules', async () => {
  const metrics = await call('get', '/api/system/metrics');
  expect(metrics.total_components).toBeGreaterThan(3);
  expect(metrics.autonomy_level).toBe('manual');
  expect(metrics.total_auto_changes).toBe(0);
  expect(metrics.runs.total_turns).toBeGreaterThanOrEqual(2);
  await call('get', '/api/system/autonomy/level');
  await call('get', '/api/system/model');
  await call('put', '/api/system/model', {}, {});
  await call('post', '/api/system/model/test');
  const { predictions } = await call('get', '/api/system/predictions');
  const executable = predictions.find((p: { executable: boolean; status: string }) => p.executable && p.status === 'open');
  expect(executable).toBeDefined();
  const started = await call('post', '/api/system/predictions/{prediction_id}/execute', { prediction_id: executable.id });
  // Still proposing or already stored: either way the spec's fields are there.
  const carried = await call('get', '/api/sandbox/experiments/{experiment_id}', { experiment_id: started.experiment_id });
  expect(carried.component_id).toBe(executable.component_id);
  await call('get', '/api/meta/evolution/schedule');
  await call('put', '/api/meta/evolution/schedule', {}, { enabled: false });
  await call('post', '/api/meta/evolution/schedule/run');
  await call('get', '/api/meta/generated-tools');
  await call('get', '/api/meta/change-rules');
  await call('put', '/api/meta/change-rules', {}, { watch_window_minutes: 0 });
  const activity = await call('get', '/api/system/activity');
  expect(activity.minutes.reduce((n: number, m: { turns: number }) => n + m.turns, 0)).toBeGreaterThanOrEqual(2);
  expect(await call('get', '/metrics')).toContain('evoscope_turns_total');
});

/** Drafting a tool needs a configured model (the offline one drafts none): these are covered by the local-model tests. */
const NEEDS_A_MODEL = new Set([
  'POST /api/meta/generated-tools',
  'GET /api/meta/generated-tools/{generation_id}',
  'POST /api/meta/generated-tools/{generation_id}/accept-suite',
  'POST /api/meta/generated-tools/{generation_id}/approve',
  'POST /api/meta/generated-tools/{generation_id}/reject',
]);

test('every documented route was called and conformed', () => {
  const called = new Set(recorded.map((r) => routeKey(r.method, r.path)));
  expect(
    API_ROUTES.map((r) => routeKey(r.method, r.path)).filter((k) => !called.has(k) && !refusals.has(k) && !NEEDS_A_MODEL.has(k)),
  ).toEqual([]);
});

test('every WebSocket message conforms: initial_state, chat_event, execution_event, meta_event, message_received', async () => {
  const { chat, execution, meta } = state;
  await meta!.waitFor((m) => m.type === 'meta_event' && m.data.type === 'version_rolled_back');
  const check = (recorder: SocketRecorder, name: string, schemaOf: (m: any) => z.ZodType) => {
    expect(recorder.messages.filter((m) => m.type === 'error')).toEqual([]);
    recorder.messages.forEach((m, i) =>
      conform(schemaOf(m), m, `${name} message ${i} (${m.type}${m.data?.type ? `/${m.data.type}` : ''})`),
    );
  };
  check(chat!, '/ws/chat', (m) =>
    m.type === 'initial_state'
      ? CHANNEL_MESSAGES.ChatInitialState
      : m.type === 'message_received'
        ? CHANNEL_MESSAGES.MessageReceived
        : CHANNEL_MESSAGES.ChatEventMessage,
  );
  check(execution!, '/ws/execution', (m) =>
    m.type === 'initial_state' ? CHANNEL_MESSAGES.ExecutionInitialState : CHANNEL_MESSAGES.ExecutionEventMessage,
  );
  check(meta!, '/ws/meta', (m) =>
    m.type === 'initial_state' ? CHANNEL_MESSAGES.MetaInitialState : CHANNEL_MESSAGES.MetaEventMessage,
  );
  const types = (r: SocketRecorder) =>
    new Set(r.messages.map((m) => (m.type === 'initial_state' || m.type === 'message_received' ? m.type : m.data.type)));
  expect([...types(chat!)]).toEqual(
    expect.arrayContaining([
      'initial_state',
      'message_received',
      'message_created',
      'token',
      'message_completed',
      'agent_status',
    ]),
  );
  expect([...types(execution!)]).toEqual(
    expect.arrayContaining(['initial_state', 'node_started', 'node_completed', 'edge_created', 'graph_updated']),
  );
  expect([...types(meta!)]).toEqual(
    expect.arrayContaining([
      'initial_state',
      'experiment_started',
      'test_completed',
      'learning_iteration',
      'version_promoted',
      'version_rolled_back',
    ]),
  );
  // A fresh connection's initial state carries the history, in the spec's shapes.
  const late = await channel('/ws/meta');
  conform(CHANNEL_MESSAGES.MetaInitialState, await late.waitFor((m) => m.type === 'initial_state'), '/ws/meta initial_state');
  const lateChat = await channel(`/ws/chat/${state.sessionId}`);
  const initial = await lateChat.waitFor((m) => m.type === 'initial_state');
  conform(CHANNEL_MESSAGES.ChatInitialState, initial, '/ws/chat initial_state');
  expect(initial.data.session.messages.length).toBeGreaterThanOrEqual(4);
});

/** A selection of every field of a GraphQL type (objects recursed), so a query returns whole records. */
function selectAll(type: GraphQLObjectType, depth = 0): string {
  return Object.values(type.getFields())
    .map((f) => {
      const named = getNamedType(f.type);
      return isObjectType(named) ? (depth < 3 ? `${f.name} { ${selectAll(named, depth + 1)} }` : '') : f.name;
    })
    .filter(Boolean)
    .join(' ');
}

test('GraphQL over HTTP and graphql-ws returns the same records, conforming', async () => {
  const t = (name: string) => graphqlSchema.getType(name) as GraphQLObjectType;
  const query = `query($s: ID!, $n: ID!, $e: ID!) {
    sessions { ${selectAll(t('ChatSession'))} }
    execution_graph(session_id: $s) { ${selectAll(t('ExecutionGraph'))} }
    node(session_id: $s, node_id: $n) { ${selectAll(t('ExecutionNode'))} }
    components { ${selectAll(t('Component'))} }
    experiment(id: $e) { ${selectAll(t('Experiment'))} }
    experiments { ${selectAll(t('Experiment'))} }
    predictions { ${selectAll(t('Prediction'))} }
    evolution_timeline { ${selectAll(t('MetaEvent'))} }
    system_metrics { ${selectAll(t('SystemMetrics'))} }
  }`;
  const graph = (await api(stack, 'GET', `/api/execution/${state.sessionId}/graph`)).body;
  const res = await api(stack, 'POST', '/graphql', {
    query,
    variables: { s: state.sessionId, n: graph.nodes[0].id, e: state.experimentId },
  });
  expect(res.body.errors).toBeUndefined();
  const d = res.body.data;
  d.sessions.forEach((s: unknown, i: number) => conform(ChatSession, s, `sessions[${i}]`));
  conform(ExecutionGraph, d.execution_graph, 'execution_graph');
  conform(ExecutionNode, d.node, 'node');
  d.components.forEach((c: unknown, i: number) => conform(Component, c, `components[${i}]`));
  conform(Experiment, d.experiment, 'experiment');
  d.experiments.forEach((e: unknown, i: number) => conform(Experiment, e, `experiments[${i}]`));
  d.predictions.forEach((p: unknown, i: number) => conform(Prediction, p, `predictions[${i}]`));
  d.evolution_timeline.forEach((e: unknown, i: number) => conform(MetaEvent, e, `evolution_timeline[${i}]`));
  conform(SystemMetrics, d.system_metrics, 'system_metrics');

  const client = createClient({
    url: `${stack.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token: stack.token },
  });
  const events: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const stop = client.subscribe(
      { query: `subscription { meta_events(after_seq: 0) { ${selectAll(t('MetaEvent'))} } }` },
      {
        next: (v) => {
          events.push((v.data as { meta_events: unknown }).meta_events);
          if (events.length >= 5) {
            stop();
            resolve();
          }
        },
        error: reject,
        complete: () => resolve(),
      },
    );
  });
  await client.dispose();
  events.forEach((e, i) => conform(MetaEvent, e, `meta_events[${i}]`));
});

test('a client generated from /api/openapi.json with openapi-typescript type-checks against the real responses (and a renamed field fails)', async () => {
  const served = await api(stack, 'GET', '/api/openapi.json', undefined, null);
  expect(served.status).toBe(200);
  const docs = await fetch(`${stack.baseUrl}/api/docs`);
  expect(docs.status).toBe(200);
  expect(await docs.text()).toContain('source_node_id');

  const work = await mkdtemp(path.join(os.tmpdir(), 'evoscope-client-'));
  try {
    await writeFile(path.join(work, 'openapi.json'), JSON.stringify(served.body));
    await execFileAsync(
      path.join(ROOT, 'node_modules/.bin/openapi-typescript'),
      [path.join(work, 'openapi.json'), '-o', path.join(work, 'api.d.ts')],
      { cwd: ROOT },
    );
    const header = `import type { paths, components } from './api';
// The body of the route's media type: JSON for all but /metrics, which answers Prometheus's text.
type Ok<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: infer C } } } ? C[keyof C] : never;
type Channel<N extends keyof components['schemas']> = components['schemas'][N];
`;
    const lines = recorded.map(
      (r, i) => `export const r${i}: Ok<'${r.path}', '${r.method}', ${r.status}> = ${JSON.stringify(r.body)};`,
    );
    const wsKinds: [string, SocketRecorder | undefined, (m: any) => string][] = [
      [
        'chat',
        state.chat,
        (m) =>
          m.type === 'initial_state'
            ? 'ChatInitialState'
            : m.type === 'message_received'
              ? 'MessageReceived'
              : 'ChatEventMessage',
      ],
      ['execution', state.execution, (m) => (m.type === 'initial_state' ? 'ExecutionInitialState' : 'ExecutionEventMessage')],
      ['meta', state.meta, (m) => (m.type === 'initial_state' ? 'MetaInitialState' : 'MetaEventMessage')],
    ];
    for (const [name, recorder, kind] of wsKinds) {
      recorder!.messages
        .slice(0, 60)
        .forEach((m, i) => lines.push(`export const ${name}${i}: Channel<'${kind(m)}'> = ${JSON.stringify(m)};`));
    }
    await writeFile(path.join(work, 'responses.ts'), header + lines.join('\n'));
    // The same responses with one spec field renamed, as a client of the old API would see them: this file must not compile.
    const graph = recorded.find((r) => r.path === '/api/execution/{session_id}/graph')!;
    const renamed = JSON.stringify(graph.body).replace(/"source_node_id":/g, '"source":');
    await writeFile(
      path.join(work, 'renamed.ts'),
      `${header}export const g: Ok<'/api/execution/{session_id}/graph', 'get', 200> = ${renamed};\n`,
    );
    await writeFile(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'commonjs', skipLibCheck: true, types: [] },
        files: ['responses.ts', 'renamed.ts'],
      }),
    );
    const result = await execFileAsync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(work, 'tsconfig.json')], {
      cwd: work,
    }).then(
      () => ({ stdout: '' }),
      (err: { stdout: string }) => ({ stdout: err.stdout }),
    );
    const errors = result.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(errors.filter((l) => !l.startsWith('renamed.ts'))).toEqual([]);
    expect(errors.some((l) => l.startsWith('renamed.ts') && /source/.test(l))).toBe(true);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
