import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printSchema } from 'graphql';
import { createClient, Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { schema } from '../../api/graphql/schema';
import type { SupervisedService, SupervisorStatus } from '../../domain/supervisorStatus';
import { userInputNodeId } from '../../domain/workflowContracts';
import { SCHEMA_FILE } from '../../scripts/printSchema';
import { api, openChannel, waitForTurn, waitUntil } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import { insertNodeOnce } from '../../store/graphStore';

/** The API's edges: auth, validation, limits, GraphQL over HTTP and graphql-ws, health. */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('api');
});
afterAll(async () => {
  await stack?.stop();
});

const gql = async (query: string, variables: Record<string, unknown> = {}, token: string | null = stack.token) => {
  const res = await fetch(`${stack.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
};

test('schema.graphql is committed and matches the code', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(`${printSchema(schema)}\n`);
});

test('healthz needs no token and reports every dependency', async () => {
  // The worker shows up as a poller of its task queue a moment after it starts.
  const res = await waitUntil(
    'a healthy stack',
    async () => {
      const r = await api(stack, 'GET', '/healthz', undefined, null);
      return r.status === 200 ? r : null;
    },
    60_000,
  );
  // No supervisor runs this API, so there is no `services` section.
  expect(res.body).toEqual({
    ok: true,
    temporal: 'ok',
    mongodb: 'ok',
    worker: 'ok',
    api: { started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    service_problems: [],
  });
});

test('healthz is not ok while a supervised service crash-loops, and says which and why', async () => {
  // The supervisor's status file as it stands after the worker died three times in a few minutes (it is up again now).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evoscope-health-'));
  const statusFile = path.join(dir, 'supervisor.json');
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const running: SupervisedService = { state: 'running', pid: process.pid, restarts: 0, last_restart_at: null, last_exit: null };
  const status: SupervisorStatus = {
    v: 1,
    supervisor_pid: process.pid,
    updated_at: minutesAgo(0),
    services: {
      api: running,
      worker: {
        ...running,
        restarts: 3,
        last_restart_at: minutesAgo(1),
        last_exit: 'exit code 1',
        recent_restarts: [minutesAgo(4), minutesAgo(2), minutesAgo(1)],
      },
    },
  };
  writeFileSync(statusFile, JSON.stringify(status));
  stack.env.EVOSCOPE_SUPERVISOR_STATUS = statusFile;
  try {
    const res = await api(stack, 'GET', '/healthz', undefined, null);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, mongodb: 'ok', temporal: 'ok' });
    expect(res.body.service_problems).toEqual([
      { service: 'worker', why: 'crash-looping: 3 restarts in the last 10 min, 3 in all; last exit exit code 1' },
    ]);
    // What the console's badge reads.
    expect((await api(stack, 'GET', '/healthz/api', undefined, null)).body.service_problems).toEqual(res.body.service_problems);
  } finally {
    stack.env.EVOSCOPE_SUPERVISOR_STATUS = undefined;
  }
  expect((await api(stack, 'GET', '/healthz', undefined, null)).status).toBe(200);
});

test('every route needs the token', async () => {
  expect((await api(stack, 'GET', '/api/chat/sessions', undefined, null)).status).toBe(401);
  expect((await api(stack, 'GET', '/api/chat/sessions', undefined, 'wrong-token-wrong-token')).status).toBe(401);
  expect((await gql('{ sessions { id } }', {}, null)).status).toBe(401);
  const ws = new WebSocket(`${stack.wsUrl}/ws/meta`);
  const refused = await new Promise<number>((resolve) =>
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
  );
  expect(refused).toBe(401);
});

test('bad input is refused with a reason and changes nothing', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'validation' })).body;
  const before = (await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.length;
  const empty = await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: '   ' });
  expect(empty.status).toBe(400);
  expect(empty.body.message).toContain('content');
  const unknownField = await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'hi', evil: true });
  expect(unknownField.status).toBe(400);
  const huge = await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'x'.repeat(100_000) });
  expect(huge.status).toBe(413);
  const notJson = await api(stack, 'POST', `/api/chat/${session.id}/message`, '{not json');
  expect(notJson.status).toBe(400);
  expect((await api(stack, 'POST', '/api/chat/no-such-session/message', { content: 'hi' })).status).toBe(404);
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level: 'reckless' })).status).toBe(400);
  for (const page of ['limit=0', 'limit=501', 'limit=x', `after=${'a'.repeat(400)}`, 'after=no-bar'])
    expect((await api(stack, 'GET', `/api/chat/sessions?${page}`)).status).toBe(400);
  const firstPage = (await api(stack, 'GET', '/api/chat/sessions?limit=1')).body;
  expect(firstPage).toHaveLength(1);
  const cursor = encodeURIComponent(`${firstPage[0].updated_at}|${firstPage[0].id}`);
  const nextPage = (await api(stack, 'GET', `/api/chat/sessions?limit=1&after=${cursor}`)).body;
  expect(nextPage.map((s: { id: string }) => s.id)).not.toContain(firstPage[0].id);
  expect((await api(stack, 'GET', `/api/chat/${session.id}/messages`)).body.messages.length).toBe(before);
});

test('GraphQL refuses abusive queries and never leaks internals', async () => {
  const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: sessions { id }`).join(' ');
  const tooMany = await gql(`{ ${aliases} }`);
  expect(tooMany.body.errors?.[0]?.message).toMatch(/aliases/i);
  const huge = await gql(`{ ${'sessions { id } '.repeat(600)} }`);
  expect(huge.body.errors?.[0]?.message).toMatch(/token/i);
  const bad = await gql('mutation { send_message(session_id: "nope", content: "hi") { message_id } }');
  expect(bad.body.errors[0].message).toBe('session nope not found');
  expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts:\d+/);
});

test('GraphQL: send a message and follow it over graphql-ws subscriptions', async () => {
  const created = await gql('mutation { create_session(title: "gql") { id title } }');
  const sessionId = created.body.data.create_session.id;
  const client: WsClient = createClient({
    url: `${stack.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token: stack.token },
  });
  const chatEvents: any[] = [];
  const executionEvents: any[] = [];
  const follow = (query: string, into: any[]) =>
    client.subscribe(
      { query, variables: { id: sessionId } },
      {
        next: (value) => into.push((value.data as any)[Object.keys(value.data as object)[0]]),
        error: (err) => into.push({ error: err }),
        complete: () => undefined,
      },
    );
  const stopChat = follow('subscription($id: ID!) { chat_events(session_id: $id, after_seq: 0) { seq data } }', chatEvents);
  const stopExec = follow('subscription($id: ID!) { execution_events(session_id: $id) { seq data } }', executionEvents);

  const sent = await gql(
    'mutation($id: ID!) { send_message(session_id: $id, content: "convert 100 kg to lb") { message_id node_id turn_id } }',
    { id: sessionId },
  );
  const { turn_id } = sent.body.data.send_message;
  await waitForTurn(stack, turn_id);
  await waitUntil('graph_updated over graphql-ws', async () => executionEvents.some((e) => e.data?.type === 'graph_updated'));
  const completed = await waitUntil('assistant message over graphql-ws', async () =>
    chatEvents.find((e) => e.data?.type === 'message_completed' && e.data.message.role === 'assistant'),
  );
  expect(completed.data.message.content).toMatch(/220\.46\d* lb/);

  // Resuming from a sequence number yields exactly the events after it.
  const resumed: any[] = [];
  const middle = chatEvents[Math.floor(chatEvents.length / 2)].seq;
  const stopResumed = follow(
    `subscription($id: ID!) { chat_events(session_id: $id, after_seq: ${middle}) { seq data } }`,
    resumed,
  );
  await waitUntil('resumed events', async () => resumed.length >= chatEvents.length - (middle - chatEvents[0].seq) - 1);
  expect(resumed.map((e) => e.seq)).toEqual(chatEvents.filter((e) => e.seq > middle).map((e) => e.seq));

  const graph = await gql(
    'query($id: ID!) { execution_graph(session_id: $id) { last_seq nodes { id type status version } edges { source_node_id target_node_id kind } } }',
    { id: sessionId },
  );
  // user_input, model_selector, agent, plan, tool, decision (answer), response, learning
  const nodeTypes = graph.body.data.execution_graph.nodes.map((n: any) => n.type as string).sort();
  expect(nodeTypes).toEqual(['agent', 'decision', 'learning', 'model_selector', 'plan', 'response', 'tool', 'user_input']);
  const nodeId = graph.body.data.execution_graph.nodes.find((n: any) => n.type === 'tool').id;
  const detail = await gql('query($id: ID!, $node: ID!) { node(session_id: $id, node_id: $node) { input output component } }', {
    id: sessionId,
    node: nodeId,
  });
  expect(detail.body.data.node.component).toBe('unit_convert');
  stopChat();
  stopExec();
  stopResumed();
  await client.dispose();
});

test('the chat channel accepts a posted message and answers message_received', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const ws = new WebSocket(`${stack.wsUrl}/ws/chat/${session.id}?token=${stack.token}`);
  const received: any[] = [];
  ws.on('message', (raw) => received.push(JSON.parse(raw.toString())));
  await waitUntil('initial_state', async () => received.find((m) => m.type === 'initial_state'));
  ws.send(JSON.stringify({ content: 'what is 3*3' }));
  const ack = await waitUntil('message_received', async () => received.find((m) => m.type === 'message_received'));
  expect(ack.message_id).toMatch(/^m-/);
  await waitUntil('the answer', async () =>
    received.find((m) => m.data?.type === 'message_completed' && m.data.message.content === '3*3 = 9'),
  );
  ws.send('not json');
  await waitUntil('an error for bad input', async () => received.find((m) => m.type === 'error'));
  ws.close();
});

test('model settings never echo the key; autonomy level persists and is announced on /ws/meta', async () => {
  const meta = new WebSocket(`${stack.wsUrl}/ws/meta?token=${stack.token}`);
  const received: any[] = [];
  meta.on('message', (raw) => received.push(JSON.parse(raw.toString())));
  await waitUntil('meta initial_state', async () => received.find((m) => m.type === 'initial_state'));
  const set = await api(stack, 'POST', '/api/system/autonomy/level', { level: 'semi_auto' });
  expect(set.body).toEqual({ level: 'semi_auto' });
  const announced = await waitUntil('autonomy_level_changed', async () => received.find((m) => m.type === 'meta_event'));
  expect(announced.data).toMatchObject({
    type: 'autonomy_level_changed',
    trigger: { kind: 'person' },
    data: { level: 'semi_auto' },
  });
  expect((await gql('{ autonomy_level }')).body.data.autonomy_level).toBe('semi_auto');
  meta.close();

  const updated = await gql(
    'mutation { update_model_settings(input: { base_url: "http://127.0.0.1:9/v1", model: "m", api_key: "sk-secret" }) { base_url model has_api_key offline } }',
  );
  expect(updated.body.data.update_model_settings).toEqual({
    base_url: 'http://127.0.0.1:9/v1',
    model: 'm',
    has_api_key: true,
    offline: false,
  });
  expect(JSON.stringify((await api(stack, 'GET', '/api/system/model')).body)).not.toContain('sk-secret');
  const probe = await gql('mutation { test_model_connection { ok message } }');
  expect(probe.body.data.test_model_connection.ok).toBe(false);
  await gql('mutation { update_model_settings(input: { base_url: "" }) { offline } }');
  expect((await gql('{ model_settings { offline } }')).body.data.model_settings.offline).toBe(true);
});

test("an edge stored before the spec's field names is served under them", async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'legacy edge' })).body;
  // The shape edges were stored in before issue 9: `source`/`target`, no `data` or `label`.
  await stack.mongo.db.collection<{ _id: string; [field: string]: unknown }>('execution_edges').insertOne({
    _id: 'old-a->old-b',
    id: 'old-a->old-b',
    session_id: session.id,
    source: 'old-a',
    target: 'old-b',
    kind: 'replay',
  });
  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect(graph.edges).toEqual([
    {
      id: 'old-a->old-b',
      session_id: session.id,
      source_node_id: 'old-a',
      target_node_id: 'old-b',
      kind: 'replay',
      data: { kind: 'replay' },
      label: 'replay',
    },
  ]);
});

test('a node no component ran in serves version "latest" over REST, GraphQL, graphql-ws and /ws/execution, also one stored with null before that default; a component\'s node keeps its version', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'node versions' })).body;
  const execution = await openChannel(stack, `/ws/execution/${session.id}`);
  await execution.waitFor((m) => m.type === 'initial_state'); // live from here on
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'what is 6*7' })).body;
  await waitForTurn(stack, sent.turn_id);
  const userInput = userInputNodeId(sent.turn_id);
  // A node as nodes were stored before the default: no component, version null.
  const legacy = `${sent.turn_id}:legacy`;
  await insertNodeOnce(stack.mongo.db, {
    id: legacy,
    session_id: session.id,
    turn_id: sent.turn_id,
    type: 'learning',
    label: 'Learn',
    status: 'success',
    started_at: null,
    ended_at: null,
    duration_ms: null,
    input: null,
    output: null,
    error: null,
    parent_node_id: null,
    chat_message_ids: [],
    component: null,
    version: null,
    workflow_id: 'wf-legacy',
    created_at: new Date().toISOString(),
    position: { x: 0, y: 0 },
  });
  const versionOf = (nodes: { id: string; version: unknown }[], id: string) => nodes.find((n) => n.id === id)?.version;

  // REST
  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect([versionOf(graph.nodes, userInput), versionOf(graph.nodes, legacy)]).toEqual(['latest', 'latest']);
  const tool = graph.nodes.find((n: any) => n.type === 'tool');
  const calculator = (await api(stack, 'GET', `/api/meta/components/${tool.component}`)).body;
  expect(tool.version).toBe(calculator.current_version);
  expect((await api(stack, 'GET', `/api/execution/${session.id}/node/${legacy}`)).body.version).toBe('latest');

  // GraphQL
  const queried = await gql(
    'query($s: ID!, $n: ID!) { execution_graph(session_id: $s) { nodes { id version } } node(session_id: $s, node_id: $n) { version } }',
    { s: session.id, n: legacy },
  );
  const { nodes } = queried.body.data.execution_graph;
  expect([versionOf(nodes, userInput), versionOf(nodes, legacy), queried.body.data.node.version]).toEqual([
    'latest',
    'latest',
    'latest',
  ]);
  expect(versionOf(nodes, tool.id)).toBe(calculator.current_version);

  // graphql-ws: the node's events from the start of the session
  const client = createClient({
    url: `${stack.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token: stack.token },
  });
  let subscribed: unknown;
  for await (const value of client.iterate({
    query: 'subscription($s: ID!) { execution_events(session_id: $s, after_seq: 0) { data } }',
    variables: { s: session.id },
  })) {
    const { data } = (value.data as any).execution_events;
    if (data.type === 'node_completed' && data.node.id === userInput) {
      subscribed = data.node.version;
      break;
    }
  }
  await client.dispose();
  expect(subscribed).toBe('latest');

  // /ws/execution: the live event, and the initial state of a channel opened later
  const live = await execution.waitFor((m) => m.data?.type === 'node_completed' && m.data.node.id === userInput);
  expect(live.data.node.version).toBe('latest');
  const late = await openChannel(stack, `/ws/execution/${session.id}`);
  const initial = await late.waitFor((m) => m.type === 'initial_state');
  expect([versionOf(initial.data.nodes, userInput), versionOf(initial.data.nodes, legacy)]).toEqual(['latest', 'latest']);
  execution.close();
  late.close();
});

test('a node moved on a console keeps its place: saved, served on every read, announced to every console; bad moves change nothing', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'moves' })).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'what is 6*7' })).body;
  await waitForTurn(stack, sent.turn_id);
  const before = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  const tool = before.nodes.find((n: any) => n.type === 'tool');
  expect(tool.position_saved_at).toBeNull();
  const execution = await openChannel(stack, `/ws/execution/${session.id}`);
  await execution.waitFor((m) => m.type === 'initial_state'); // live from here on

  const moved = await api(stack, 'PUT', `/api/execution/${session.id}/node/${tool.id}/position`, { x: 512.5, y: -40 });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ id: tool.id, position: { x: 512.5, y: -40 }, position_saved_at: expect.any(String) });
  const announced = await execution.waitFor((m) => m.type === 'execution_event' && m.data.type === 'node_moved');
  expect(announced.data).toEqual({
    type: 'node_moved',
    node_id: tool.id,
    position: { x: 512.5, y: -40 },
    saved_at: moved.body.position_saved_at,
  });

  // The newest save wins, over REST and GraphQL alike.
  const again = await gql(
    'mutation($s: ID!, $n: ID!) { move_node(session_id: $s, node_id: $n, x: 10, y: 20) { position position_saved_at } }',
    { s: session.id, n: tool.id },
  );
  expect(again.body.data.move_node.position).toEqual({ x: 10, y: 20 });
  const graph = (await api(stack, 'GET', `/api/execution/${session.id}/graph`)).body;
  expect(graph.nodes.find((n: any) => n.id === tool.id).position).toEqual({ x: 10, y: 20 });
  expect((await api(stack, 'GET', `/api/execution/${session.id}/node/${tool.id}`)).body.position).toEqual({ x: 10, y: 20 });
  const others = (nodes: any[]) => nodes.filter((n) => n.id !== tool.id);
  expect(others(graph.nodes)).toEqual(others(before.nodes)); // nothing else moved

  const put = (path: string, body: unknown) => api(stack, 'PUT', path, body);
  const here = `/api/execution/${session.id}/node/${tool.id}/position`;
  expect((await put(here, { x: 'far', y: 0 })).status).toBe(400);
  expect((await put(here, { x: 1 })).status).toBe(400);
  expect((await put(here, { x: 1e12, y: 0 })).status).toBe(400);
  expect((await put(`/api/execution/${session.id}/node/no-such-node/position`, { x: 1, y: 1 })).status).toBe(404);
  expect((await put(`/api/execution/no-such-session/node/${tool.id}/position`, { x: 1, y: 1 })).status).toBe(404);
  const otherSession = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  expect((await put(`/api/execution/${otherSession.id}/node/${tool.id}/position`, { x: 1, y: 1 })).status).toBe(404);
  expect((await api(stack, 'GET', `/api/execution/${session.id}/node/${tool.id}`)).body.position).toEqual({ x: 10, y: 20 });
  execution.close();
});
