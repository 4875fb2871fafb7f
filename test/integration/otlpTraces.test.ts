import os from 'node:os';
import path from 'node:path';
import type { ExecutionEdge, ExecutionNode } from '../../domain/execution';
import { ManagedProcess, spawnWithLog, stopProcess } from '../../scripts/lib/processes';
import { stopTracing } from '../../telemetry/tracingSetup';
import { api, openChannel, waitForTurn, waitUntil } from '../../harness/client';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../harness/otlpReceiver';
import { startTestStack, type TestStack } from '../../harness/stack';
import { orphans, settledTrace } from '../support/receivedTraces';

/**
 * Traces against a real OTLP/HTTP receiver: the API (this process) and a worker process both
 * export to it, as they would to a collector. One chat turn arrives as one trace whose node
 * spans are the graph's nodes with the graph's parent edges, and it stays one connected trace
 * when the worker is killed mid-turn and another finishes it.
 */
const root = path.resolve(__dirname, '..', '..');
/** Slow enough that the answer is still streaming when the worker is killed. */
const TOKEN_DELAY_MS = '100';
const logDir = path.join(os.tmpdir(), `evoscope-traces-${process.pid}`);
let receiver: OtlpReceiver;
let stack: TestStack;
let workerEnv: NodeJS.ProcessEnv;

/** Spans leave both processes in batches every 200 ms, not every 5 s (OTEL_BSP_SCHEDULE_DELAY is the standard knob). */
const BATCH_DELAY_MS = '200';

function startWorkerProcess(n: number): ManagedProcess {
  return spawnWithLog({
    name: `worker-${n}`,
    command: process.execPath,
    args: ['--no-node-snapshot', '--import', 'tsx', path.join(root, 'worker/main.ts')],
    logFile: path.join(logDir, `worker-${n}.log`),
    env: workerEnv,
  });
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  process.env.OTEL_BSP_SCHEDULE_DELAY = BATCH_DELAY_MS;
  const tracingEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, EVOSCOPE_TRACE_CONTENT: '1' };
  stack = await startTestStack('traces', { ...tracingEnv, OFFLINE_TOKEN_DELAY_MS: TOKEN_DELAY_MS }, { withWorker: false });
  workerEnv = {
    ...process.env,
    ...tracingEnv,
    MONGODB_DB: stack.env.MONGODB_DB,
    EVOSCOPE_TASK_QUEUE: stack.env.EVOSCOPE_TASK_QUEUE,
    OFFLINE_TOKEN_DELAY_MS: TOKEN_DELAY_MS,
    OTEL_BSP_SCHEDULE_DELAY: BATCH_DELAY_MS,
    NODE_OPTIONS: '',
  };
});
afterAll(async () => {
  await stack?.stop();
  await stopTracing();
  await receiver?.close();
});

async function sendMessage(content: string) {
  const session = (await api(stack, 'POST', '/api/chat/sessions', {})).body;
  const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content })).body;
  return { sessionId: session.id as string, turnId: sent.turn_id as string };
}

async function turnGraph(sessionId: string, turnId: string) {
  const graph = (await api(stack, 'GET', `/api/execution/${sessionId}/graph`)).body;
  const nodes = (graph.nodes as ExecutionNode[]).filter((n) => n.turn_id === turnId);
  return { nodes, edges: graph.edges as ExecutionEdge[] };
}

/**
 * The turn's trace once it is complete: every node's span, the root, and the workflow's own span
 * (Temporal ends it last, after the turn's last activity); then until no more spans arrive.
 */
function receivedTrace(nodes: ExecutionNode[], workflowType = 'chatTurn'): Promise<ReceivedSpan[]> {
  return settledTrace(receiver, nodes[0].trace_id!, (spans) => {
    const ids = new Set(spans.map((s) => s.spanId));
    return (
      nodes.every((n) => ids.has(n.span_id!)) &&
      spans.some((s) => s.parentSpanId === '') &&
      spans.some((s) => s.name === `RunWorkflow:${workflowType}`)
    );
  });
}

/** One root, one span per node parented as the graph's parent edges say, with the node's times; nothing orphaned. */
function expectTraceOfGraph(nodes: ExecutionNode[], edges: ExecutionEdge[], spans: ReceivedSpan[]) {
  const roots = spans.filter((s) => s.parentSpanId === '');
  expect(roots.map((s) => s.name)).toEqual(['chat turn']);
  const nodeSpans = spans.filter((s) => 'evoscope.node.id' in s.attributes);
  expect(nodeSpans.length + roots.length).toBe(nodes.length + 1);
  const spanOf = new Map(nodeSpans.map((s) => [s.attributes['evoscope.node.id'], s]));
  const edgeIds = new Set(edges.map((e) => e.id));
  for (const node of nodes) {
    const span = spanOf.get(node.id)!;
    expect(span.spanId).toBe(node.span_id);
    expect(span.traceId).toBe(node.trace_id);
    expect([span.startMs, span.endMs]).toEqual([Date.parse(node.started_at!), Date.parse(node.ended_at!)]);
    if (node.parent_node_id) {
      expect(edgeIds.has(`${node.parent_node_id}->${node.id}`)).toBe(true);
      expect(span.parentSpanId).toBe(spanOf.get(node.parent_node_id)!.spanId);
    } else {
      expect(span.parentSpanId).toBe(roots[0].spanId);
    }
  }
  // Temporal's spans (API → workflow → activities) hang from the same root: one connected trace.
  expect(orphans(spans)).toEqual([]);
  expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['StartWorkflow:chatTurn', 'RunWorkflow:chatTurn']));
}

test('one turn arrives as one trace: the graph as spans, with GenAI and OpenInference attributes', async () => {
  const worker = startWorkerProcess(1);
  try {
    const { sessionId, turnId } = await sendMessage('what is 2*(3+4)^2?');
    await waitForTurn(stack, turnId, 120_000);
    const { nodes, edges } = await turnGraph(sessionId, turnId);
    expect(nodes.map((n) => n.type)).toEqual([
      'user_input',
      'model_selector',
      'agent',
      'plan',
      'tool',
      'decision',
      'response',
      'learning',
    ]);
    const spans = await receivedTrace(nodes);
    expectTraceOfGraph(nodes, edges, spans);

    const byType = (type: string) => spans.find((s) => s.attributes['evoscope.node.type'] === type)!;
    const answer = (await api(stack, 'GET', `/api/chat/${sessionId}/messages`)).body.messages.find(
      (m: { role: string }) => m.role === 'assistant',
    );
    expect(byType('response').attributes).toMatchObject({
      'openinference.span.kind': 'LLM',
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'offline',
      'gen_ai.request.model': 'evoscope-offline-1',
      'llm.model_name': 'evoscope-offline-1',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': answer.content,
      'session.id': sessionId,
    });
    // The offline model's own count: the prompt's words and one token a streamed word.
    const usage = nodes.find((n) => n.type === 'response')!.token_usage!;
    expect(usage.output_tokens).toBe(answer.content.match(/\S+\s*|\s+/g).length);
    expect(usage.input_tokens).toBeGreaterThan(0);
    expect(byType('response').attributes).toMatchObject({
      'gen_ai.usage.input_tokens': usage.input_tokens,
      'gen_ai.usage.output_tokens': usage.output_tokens,
      'llm.token_count.prompt': usage.input_tokens,
      'llm.token_count.completion': usage.output_tokens,
      'llm.token_count.total': usage.input_tokens + usage.output_tokens,
    });
    const tool = nodes.find((n) => n.type === 'tool')!;
    expect(byType('tool').attributes).toMatchObject({
      'openinference.span.kind': 'TOOL',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calculator',
      'tool.name': 'calculator',
      'evoscope.component.version': tool.version,
      'evoscope.input.bytes': Buffer.byteLength(JSON.stringify(tool.input)),
      'evoscope.output.bytes': Buffer.byteLength(JSON.stringify(tool.output)),
    });
    expect(byType('agent').attributes['openinference.span.kind']).toBe('AGENT');
    const rootSpan = spans.find((s) => s.parentSpanId === '')!;
    expect(rootSpan.attributes).toMatchObject({ 'openinference.span.kind': 'AGENT', 'evoscope.turn.status': 'completed' });
    expect(rootSpan.resource['service.name']).toBe('evoscope-worker');
    const startWorkflow = spans.find((s) => s.name === 'StartWorkflow:chatTurn')!;
    expect(startWorkflow.resource['service.name']).toBe('evoscope-api');
    // The turn begins when the message was stored, before the API started its workflow.
    expect(rootSpan.startMs).toBeLessThanOrEqual(startWorkflow.startMs);

    // A replay of the tool step is a trace of its own: its node under a `replay` root, Temporal's spans beside it.
    const replay = (await api(stack, 'POST', `/api/execution/${sessionId}/replay/${tool.id}`)).body;
    const replayed = await waitUntil('the replay', async () => {
      const { nodes: replayNodes } = await turnGraph(sessionId, replay.replay_id);
      return replayNodes[0]?.status === 'success' && replayNodes;
    });
    const replaySpans = await receivedTrace(replayed, 'replayNode');
    const replayRoot = replaySpans.filter((s) => s.parentSpanId === '');
    expect(replayRoot.map((s) => s.name)).toEqual(['replay']);
    expect(replaySpans.find((s) => s.spanId === replayed[0].span_id)!.parentSpanId).toBe(replayRoot[0].spanId);
    expect(orphans(replaySpans)).toEqual([]);
  } finally {
    await stopProcess(worker);
  }
});

test('a worker killed mid-turn: the turn finished by another worker is still one connected trace', async () => {
  let worker = startWorkerProcess(2);
  try {
    const { sessionId, turnId } = await sendMessage('write a long story about a lighthouse');
    const chat = await openChannel(stack, `/ws/chat/${sessionId}`);
    await chat.waitFor((m) => m.data?.type === 'token', 120_000);
    chat.close();
    worker.child.kill('SIGKILL');
    await worker.exited;
    const response = await stack.mongo.db
      .collection<{ _id: string; status: string }>('execution_nodes')
      .findOne({ _id: `${turnId}:response` });
    expect(response?.status).toBe('executing');

    worker = startWorkerProcess(3);
    await waitForTurn(stack, turnId, 120_000);
    const { nodes, edges } = await turnGraph(sessionId, turnId);
    expect(nodes.every((n) => n.status === 'success')).toBe(true);
    expectTraceOfGraph(nodes, edges, await receivedTrace(nodes));
  } finally {
    await stopProcess(worker);
  }
});
