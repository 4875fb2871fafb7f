import { api, openChannel, waitForTurn } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import { chatTurnWorkflowId } from '../../domain/workflowContracts';
import { recordHistoryFixture } from '../support/historyFixtures';

/** The chat turn workflow end to end on the real Temporal dev server and FerretDB, with the offline model. */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('chat_turn');
});
afterAll(async () => {
  await stack?.stop();
});

async function newSession(title = 'test') {
  const res = await api(stack, 'POST', '/api/chat/sessions', { title });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function send(sessionId: string, content: string, extra: Record<string, unknown> = {}) {
  const res = await api(stack, 'POST', `/api/chat/${sessionId}/message`, { content, ...extra });
  expect(res.status).toBe(202);
  return res.body as { message_id: string; node_id: string; turn_id: string };
}

async function assistantMessage(sessionId: string, turnId: string) {
  const page = await api(stack, 'GET', `/api/chat/${sessionId}/messages`);
  return page.body.messages.find((m: any) => m.turn_id === turnId && m.role === 'assistant');
}

/** How every turn's nodes begin ("type label"): the message, the model chosen, the intent, the plan. */
const TURN_OPENING = ['user_input User message', 'model_selector Select model', 'agent Analyse intent', 'plan Plan'];

test('a message runs analyse → plan → tool → decision → response → learning, streamed over both channels', async () => {
  const sessionId = await newSession();
  const chat = await openChannel(stack, `/ws/chat/${sessionId}`);
  const execution = await openChannel(stack, `/ws/execution/${sessionId}`);
  await chat.waitFor((m) => m.type === 'initial_state');
  await execution.waitFor((m) => m.type === 'initial_state');
  expect(chat.messages[0].type).toBe('initial_state');
  expect(execution.messages[0].type).toBe('initial_state');

  const sent = await send(sessionId, 'what is 2*(3+4)^2?');
  await execution.waitFor((m) => m.data?.type === 'graph_updated');
  await chat.waitFor((m) => m.data?.type === 'message_completed' && m.data.message.role === 'assistant');

  const answer = await assistantMessage(sessionId, sent.turn_id);
  expect(answer.content).toBe('2*(3+4)^2 = 98');
  expect(answer.status).toBe('complete');
  expect(answer.model).toEqual({ provider: 'offline', model: 'evoscope-offline-1', offline: true });

  const streamed = chat.messages
    .filter((m) => m.data?.type === 'token')
    .map((m) => m.data.delta)
    .join('');
  expect(streamed).toBe(answer.content);

  const graph = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body;
  expect(graph.nodes.map((n: any) => n.type)).toEqual([
    'user_input',
    'model_selector',
    'agent',
    'plan',
    'tool',
    'decision',
    'response',
    'learning',
  ]);
  expect(graph.nodes.every((n: any) => n.status === 'success' && n.duration_ms !== null)).toBe(true);
  const tool = graph.nodes.find((n: any) => n.type === 'tool');
  expect(tool.component).toBe('calculator');
  expect(tool.version).toMatch(/^[0-9a-f]{12}$/);
  expect(graph.nodes.find((n: any) => n.type === 'response').chat_message_ids).toEqual([answer.id]);
  expect(graph.edges.length).toBeGreaterThanOrEqual(graph.nodes.length - 1);

  // Sequence numbers on each channel are contiguous: nothing lost, nothing twice.
  for (const channel of [chat, execution]) {
    const seqs = channel.messages.filter((m) => m.seq !== undefined).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
  }
  const nodeEvents = execution.messages.filter((m) => m.data?.type?.startsWith('node_'));
  expect(nodeEvents.filter((m) => m.data.type === 'node_completed')).toHaveLength(8);
  const turn = stack.temporal.workflow.getHandle(chatTurnWorkflowId(sessionId, sent.message_id));
  await turn.result();
  await recordHistoryFixture(turn, 'chatTurn');
  chat.close();
  execution.close();
});

test('a repeated submit with the same client_message_id starts one run', async () => {
  const sessionId = await newSession();
  const first = await send(sessionId, 'what is 1+1', { client_message_id: 'abc-1' });
  const second = await send(sessionId, 'what is 1+1', { client_message_id: 'abc-1' });
  expect(second).toEqual(first);
  await waitForTurn(stack, first.turn_id);
  const page = (await api(stack, 'GET', `/api/chat/${sessionId}/messages`)).body;
  expect(page.messages.map((m: any) => m.role)).toEqual(['user', 'assistant']);
});

test('memory: a remembered fact is recalled later in the session', async () => {
  const sessionId = await newSession();
  const remember = await send(sessionId, 'remember that my cat is called Miso');
  await waitForTurn(stack, remember.turn_id);
  const recall = await send(sessionId, 'what did I tell you about my cat?');
  await waitForTurn(stack, recall.turn_id);
  expect((await assistantMessage(sessionId, recall.turn_id)).content).toContain('Miso');
});

test('retrieval: a question about Evoscope is answered from its docs with citations', async () => {
  const sessionId = await newSession();
  const sent = await send(sessionId, 'What autonomy levels does Evoscope have?');
  await waitForTurn(stack, sent.turn_id);
  const answer = await assistantMessage(sessionId, sent.turn_id);
  expect(answer.content).toContain('Sources:');
  expect(answer.content).toMatch(/\[1\] \S+\.md — /);
  expect(answer.content.toLowerCase()).toContain('semi_auto');
});

test('a failing tool becomes an error node and an assistant message; the session keeps working', async () => {
  const sessionId = await newSession();
  const failing = await send(sessionId, 'what is 1/0');
  const turn = await waitForTurn(stack, failing.turn_id);
  expect(turn.status).toBe('failed');
  const answer = await assistantMessage(sessionId, failing.turn_id);
  expect(answer.status).toBe('error');
  expect(answer.content.toLowerCase()).toContain('division by zero');
  const graph = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body;
  const tool = graph.nodes.find((n: any) => n.type === 'tool');
  const error = graph.nodes.find((n: any) => n.type === 'error');
  expect(tool.status).toBe('error');
  expect(error.parent_node_id).toBe(tool.id);
  // One re-plan (no repair for a division by zero), then the planner gives up.
  expect(graph.nodes.map((n: any) => `${n.type} ${n.label}`)).toEqual([
    ...TURN_OPENING,
    'tool calculator',
    'decision Decide: replan',
    'plan Re-plan: 0 steps',
    'decision Decide: give up',
    'error Error',
    'learning Learn',
  ]);
  expect(graph.edges).toContainEqual(
    expect.objectContaining({
      source_node_id: `${failing.turn_id}:decision-1`,
      target_node_id: `${failing.turn_id}:replan-1`,
      kind: 'replan',
      label: 'replan',
    }),
  );
  expect(graph.edges).toContainEqual(
    expect.objectContaining({ source_node_id: `${failing.turn_id}:decision-2`, target_node_id: error.id, kind: 'flow' }),
  );

  const next = await send(sessionId, 'convert 5 km to miles');
  expect((await waitForTurn(stack, next.turn_id)).status).toBe('completed');
  expect((await assistantMessage(sessionId, next.turn_id)).content).toMatch(/3\.10\d* mi/);
});

/** The nodes of a turn as "type label", and its edges as "source → target (kind)" by node id suffix, in order. */
async function turnShape(sessionId: string, turnId: string) {
  const graph = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body;
  const short = (id: string) => id.slice(turnId.length + 1);
  return {
    graph,
    nodes: graph.nodes.filter((n: any) => n.turn_id === turnId).map((n: any) => `${n.type} ${n.label}`),
    edges: graph.edges
      .filter((e: any) => e.target_node_id.startsWith(`${turnId}:`))
      .map((e: any) => `${short(e.source_node_id)} → ${short(e.target_node_id)} (${e.kind})`),
  };
}

test('a compound request runs both tools, one step after the other, and answers both', async () => {
  const sessionId = await newSession();
  const sent = await send(sessionId, 'Convert 10 miles to km, and what is sqrt(2)*3?');
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');
  const answer = await assistantMessage(sessionId, sent.turn_id);
  expect(answer.content).toBe('10 mi = 16.0934 km\n\nsqrt(2)*3 = 4.24264068712');
  const { graph, nodes, edges } = await turnShape(sessionId, sent.turn_id);
  expect(nodes).toEqual([
    ...TURN_OPENING,
    'tool unit_convert',
    'decision Decide: continue',
    'tool calculator',
    'decision Decide: answer',
    'response Respond',
    'learning Learn',
  ]);
  expect(edges).toEqual([
    'user_input → model_selector (flow)',
    'model_selector → analyse (flow)',
    'analyse → plan (flow)',
    'plan → step-1 (flow)',
    'step-1 → decision-1 (flow)',
    'decision-1 → step-2 (flow)',
    'step-2 → decision-2 (flow)',
    'decision-2 → response (flow)',
    'response → learning (flow)',
  ]);
  const byId = new Map(graph.nodes.map((n: any) => [n.id.slice(sent.turn_id.length + 1), n]));
  expect((byId.get('analyse') as any).component).toBe('intent_analyser');
  expect((byId.get('plan') as any).output.map((s: any) => [s.component, s.args])).toEqual([
    ['unit_convert', { value: 10, from: 'miles', to: 'km' }],
    ['calculator', { expression: 'sqrt(2)*3' }],
  ]);
  expect((byId.get('decision-2') as any).output).toEqual({ action: 'answer', reason: 'every planned step is done' });
  expect((byId.get('decision-1') as any).component).toBe('planner');
});

test('a step the calculator refuses is re-planned with a repair, linked by a replan edge, and the turn answers', async () => {
  const sessionId = await newSession();
  const sent = await send(sessionId, 'what is 2,5 * 2?');
  expect((await waitForTurn(stack, sent.turn_id)).status).toBe('completed');
  expect((await assistantMessage(sessionId, sent.turn_id)).content).toBe('2.5 * 2 = 5');
  const { graph, nodes, edges } = await turnShape(sessionId, sent.turn_id);
  expect(nodes).toEqual([
    ...TURN_OPENING,
    'tool calculator',
    'decision Decide: replan',
    'plan Re-plan: 1 step',
    'tool calculator',
    'decision Decide: answer',
    'response Respond',
    'learning Learn',
  ]);
  expect(edges).toContain('decision-1 → replan-1 (replan)');
  expect(edges).toContain('replan-1 → step-2 (flow)');
  const first = graph.nodes.find((n: any) => n.id === `${sent.turn_id}:step-1`);
  expect(first).toMatchObject({ status: 'error', error: expect.stringContaining("Unexpected ','") });
});

test('replay re-runs a node as a new node linked by a replay edge', async () => {
  const sessionId = await newSession();
  const sent = await send(sessionId, 'what is 6*7');
  await waitForTurn(stack, sent.turn_id);
  const graph = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body;
  const tool = graph.nodes.find((n: any) => n.type === 'tool');
  const replay = await api(stack, 'POST', `/api/execution/${sessionId}/replay/${tool.id}`);
  expect(replay.status).toBe(202);
  const handle = stack.temporal.workflow.getHandle(replay.body.workflow_id);
  const newNodeId = await handle.result();
  const node = (await api(stack, 'GET', `/api/execution/${sessionId}/node/${newNodeId}`)).body;
  expect(node.status).toBe('success');
  expect(node.output).toEqual(tool.output);
  const edges = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body.edges;
  expect(edges).toContainEqual(
    expect.objectContaining({ source_node_id: tool.id, target_node_id: newNodeId, kind: 'replay', label: 'replay' }),
  );

  const userNode = graph.nodes.find((n: any) => n.type === 'user_input');
  const refused = await api(stack, 'POST', `/api/execution/${sessionId}/replay/${userNode.id}`);
  expect(refused.status).toBe(400);
});

test('stop cancels the streaming answer through heartbeats and keeps the partial text', async () => {
  const slow = await startTestStack('chat_stop', { OFFLINE_TOKEN_DELAY_MS: '30' });
  try {
    const session = (await fetch(`${slow.baseUrl}/api/chat/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slow.token}`, 'content-type': 'application/json' },
      body: '{}',
    }).then((r) => r.json())) as { id: string };
    const chat = await openChannel(slow, `/ws/chat/${session.id}`);
    const sent = (await (
      await fetch(`${slow.baseUrl}/api/chat/${session.id}/message`, {
        method: 'POST',
        headers: { authorization: `Bearer ${slow.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'write a long story please' }),
      })
    ).json()) as { turn_id: string };
    await chat.waitFor((m) => m.data?.type === 'token');
    const stop = await fetch(`${slow.baseUrl}/api/chat/${session.id}/stop`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slow.token}` },
    });
    expect(await stop.json()).toEqual({ stopped_turns: 1 });
    const turn = await waitForTurn(slow, sent.turn_id);
    expect(turn.status).toBe('stopped');
    const completed = await chat.waitFor((m) => m.data?.type === 'message_completed' && m.data.message.role === 'assistant');
    const message = completed.data.message;
    expect(message.status).toBe('stopped');
    expect(message.content.length).toBeGreaterThan(0);
    expect(message.content.length).toBeLessThan(1500); // the full story is ~3,000 characters
    const streamed = chat.messages
      .filter((m) => m.data?.type === 'token')
      .map((m) => m.data.delta)
      .join('');
    expect(streamed).toBe(message.content);
    chat.close();
  } finally {
    await slow.stop();
  }
});
