import { OpenInferenceSpanKind, SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ExecutionNode } from '../domain/execution';
import type { TurnDoc } from '../store/collections';
import { nodeSpanAttributes, turnAttributes } from './nodeSpanAttributes';
import { isoMillis, readableSpan } from './readableSpan';
import { nodeSpanId, turnSpanId, turnTraceId } from './traceIds';

/**
 * A finished turn as spans: the turn as the root, each execution node a child of its parent
 * node (the graph's parent edge; the turn for its first node), with the node's own times. Built
 * from the stored records, not from live spans, so a node run half on a killed worker and
 * again on another is one span with the times the graph shows.
 */

/** The root span and one span per node; a node whose parent is not in the turn hangs from the root. */
export function turnSpans(turn: TurnDoc, nodes: ExecutionNode[], resource: Resource, withContent: boolean): ReadableSpan[] {
  const traceId = turnTraceId(turn._id);
  const rootSpanId = turnSpanId(turn._id);
  const turnEnd = isoMillis(turn.ended_at, Date.now());
  const turnStart = Math.min(Date.parse(turn.started_at), ...nodes.map((n) => isoMillis(n.started_at, turnEnd)));
  const inTurn = new Set(nodes.map((n) => n.id));
  const failure = nodes.find((n) => n.type === 'error')?.error ?? 'the turn failed';
  const root = readableSpan(traceId, resource, {
    name: turn.kind === 'replay' ? 'replay' : 'chat turn',
    spanId: rootSpanId,
    start: turnStart,
    end: turnEnd,
    attributes: {
      ...turnAttributes(turn.session_id, turn._id),
      [SemanticConventions.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT,
      'evoscope.turn.status': turn.status,
      'evoscope.workflow.id': turn.workflow_id,
      'evoscope.node.count': nodes.length,
    },
    error: turn.status === 'failed' ? failure : null,
  });
  const nodeSpans = nodes.map((node) =>
    readableSpan(traceId, resource, {
      name: `${node.type} ${node.label}`,
      spanId: nodeSpanId(node.id),
      parentSpanId: node.parent_node_id && inTurn.has(node.parent_node_id) ? nodeSpanId(node.parent_node_id) : rootSpanId,
      start: isoMillis(node.started_at, turnStart),
      end: isoMillis(node.ended_at, turnEnd),
      attributes: nodeSpanAttributes(node, withContent),
      error: node.status === 'error' ? (node.error ?? 'failed') : null,
    }),
  );
  return [root, ...nodeSpans];
}
