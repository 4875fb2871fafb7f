import { SpanStatusCode } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { executionNode, type ExecutionNode, type NodeRecord } from '../../domain/execution';
import type { TurnDoc } from '../../store/collections';
import { nodeSpanId, turnSpanId, turnTraceId } from '../../telemetry/traceIds';
import { turnSpans } from '../../telemetry/turnSpans';

const resource = new Resource({ 'service.name': 'test' });
const turn: TurnDoc = {
  _id: 's1:m1',
  session_id: 's1',
  workflow_id: 'wf',
  kind: 'chat_turn',
  status: 'failed',
  started_at: '2026-01-01T00:00:00.000Z',
  ended_at: '2026-01-01T00:00:02.000Z',
  duration_ms: 2000,
  model: null,
};

function node(id: string, patch: Partial<NodeRecord>): ExecutionNode {
  return executionNode({
    id: `s1:m1:${id}`,
    session_id: 's1',
    turn_id: 's1:m1',
    type: 'agent',
    label: id,
    status: 'success',
    started_at: '2026-01-01T00:00:00.500Z',
    ended_at: '2026-01-01T00:00:01.000Z',
    duration_ms: 500,
    error: null,
    parent_node_id: null,
    chat_message_ids: [],
    component: null,
    version: null,
    workflow_id: 'wf',
    created_at: '2026-01-01T00:00:00.500Z',
    input: { content: 'what is 2+2' },
    output: { text: '4', stopped: false },
    ...patch,
  });
}

const nodes = [
  node('response', {
    type: 'response',
    component: 'openai',
    version: 'gpt-x',
    parent_node_id: 'elsewhere',
    token_usage: { input_tokens: 12, output_tokens: 3 },
  }),
  node('error', { type: 'error', status: 'error', error: 'boom', parent_node_id: 's1:m1:response', started_at: null }),
];

describe('a turn as spans', () => {
  it('names every span under ids derived from the turn and node ids', () => {
    const [root, response, error] = turnSpans(turn, nodes, resource, false);
    expect(new Set([root, response, error].map((s) => s.spanContext().traceId))).toEqual(new Set([turnTraceId('s1:m1')]));
    expect(turnTraceId('s1:m1')).toMatch(/^[0-9a-f]{32}$/);
    expect(root.spanContext().spanId).toBe(turnSpanId('s1:m1'));
    expect(root.parentSpanId).toBeUndefined();
    // A parent outside the turn: the node hangs from the turn rather than from nothing.
    expect(response.parentSpanId).toBe(root.spanContext().spanId);
    expect(error.spanContext().spanId).toBe(nodeSpanId('s1:m1:error'));
    expect(error.parentSpanId).toBe(response.spanContext().spanId);
  });

  it('keeps the stored times; a node never started begins with the turn', () => {
    const [root, response, error] = turnSpans(turn, nodes, resource, false);
    expect(root.startTime).toEqual([Date.parse(turn.started_at) / 1000, 0]);
    expect(root.endTime).toEqual([Date.parse(turn.ended_at!) / 1000, 0]);
    expect(response.duration).toEqual([0, 500_000_000]);
    expect(error.startTime).toEqual(root.startTime);
  });

  it('marks the failure on the node and on the turn', () => {
    const [root, response, error] = turnSpans(turn, nodes, resource, false);
    expect(error.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(root.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(response.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('describes a model call as an LLM span, and writes its text only when content is allowed', () => {
    const quiet = turnSpans(turn, nodes, resource, false)[1].attributes;
    expect(quiet).toMatchObject({
      'openinference.span.kind': 'LLM',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-x',
      'llm.model_name': 'gpt-x',
      'evoscope.input.bytes': JSON.stringify({ content: 'what is 2+2' }).length,
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'llm.token_count.prompt': 12,
      'llm.token_count.completion': 3,
      'llm.token_count.total': 15,
    });
    expect(Object.keys(quiet).filter((key) => /^(input|output)\.value$|_messages\./.test(key))).toEqual([]);

    // A node whose model reported no usage says nothing of tokens (not zero).
    const uncounted = turnSpans(turn, [{ ...nodes[0], token_usage: undefined }], resource, false)[1].attributes;
    expect(Object.keys(uncounted).filter((key) => /usage|token_count/.test(key))).toEqual([]);

    const told = turnSpans(turn, nodes, resource, true)[1].attributes;
    expect(told).toMatchObject({
      'llm.input_messages.0.message.content': 'what is 2+2',
      'llm.output_messages.0.message.content': '4',
      'output.value': JSON.stringify({ text: '4', stopped: false }),
    });
  });

  it("carries the tokens of the analyser's and the planner's own model calls on their nodes' spans", () => {
    const analyser = node('analyse', {
      component: 'intent_analyser',
      version: 'v1',
      token_usage: { input_tokens: 20, output_tokens: 4 },
    });
    const [, span] = turnSpans(turn, [analyser], resource, false);
    expect(span.attributes).toMatchObject({
      'openinference.span.kind': 'AGENT',
      'evoscope.component': 'intent_analyser',
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 4,
      'llm.token_count.total': 24,
    });
  });
});
