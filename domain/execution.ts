import { z } from 'zod';
import { NodeStatus, NodeType } from './enums';

/**
 * The execution graph as section 3 of the spec names it (ExecutionNode, ExecutionEdge,
 * ExecutionGraph), plus Evoscope's extra fields. Spec fields keep the spec's names and types;
 * the ones the store does not keep (data, completed_at, execution_time, the graph's id and
 * times) are derived from the stored record by the functions below, in one place.
 */

export const Position = z
  .object({ x: z.number(), y: z.number() })
  .describe("Canvas position: the last one a console saved, else the server's layout");
export type Position = z.infer<typeof Position>;

/** The spec's `ExecutionNode.version` where no component ran (user input, the error and learning nodes …). */
export const DEFAULT_NODE_VERSION = 'latest';

/** What a React Flow–style client renders inside a node. */
export const NodeData = z
  .object({
    label: z.string(),
    component: z.string().nullable(),
    version: z.string(),
    error: z.string().nullable(),
  })
  .describe('What the node shows: label, the component (and version) that ran, and its error');
export type NodeData = z.infer<typeof NodeData>;

/**
 * More tokens than any model call uses (context windows hold a few million): an endpoint's `usage`
 * is another server's word, and a count past this, like a negative or fractional one, is refused.
 */
const MAX_TOKENS_PER_CALL = 100_000_000;
const TokenCount = z.number().int().nonnegative().max(MAX_TOKENS_PER_CALL);

/** Tokens one model call used, under OpenTelemetry GenAI's names (gen_ai.usage.*). */
export const TokenUsage = z
  .object({ input_tokens: TokenCount, output_tokens: TokenCount })
  .describe("The tokens a model call used: the endpoint's own count, or the offline model's streamed tokens");
export type TokenUsage = z.infer<typeof TokenUsage>;

export const ExecutionNode = z.object({
  // ── spec fields ──
  id: z.string(),
  type: NodeType,
  data: NodeData,
  position: Position,
  status: NodeStatus,
  started_at: z.string().nullable().describe('ISO 8601'),
  completed_at: z.string().nullable().describe('ISO 8601; when the node succeeded or failed'),
  execution_time: z.number().nullable().describe('seconds, from started_at to completed_at'),
  chat_message_ids: z.array(z.string()),
  parent_node_id: z.string().nullable(),
  version: z
    .string()
    .default(DEFAULT_NODE_VERSION)
    .describe(`The component version that ran in this node; "${DEFAULT_NODE_VERSION}" when no component ran`),
  // ── Evoscope's extras ──
  session_id: z.string(),
  turn_id: z.string(),
  label: z.string(),
  ended_at: z.string().nullable().describe('same as completed_at'),
  duration_ms: z.number().nullable().describe('execution_time in milliseconds'),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  /** The component that ran in this node, when one did. */
  component: z.string().nullable(),
  /** Temporal workflow id of the run that produced the node (for the Web UI link). */
  workflow_id: z.string(),
  /** The model call's tokens, on a response node whose model reported them. */
  token_usage: TokenUsage.nullish().describe(
    'absent (null in GraphQL) when the model reported no usage or the node is no model call',
  ),
  /** The node's span in the turn's OpenTelemetry trace, when the worker traced it (telemetry/traceIds.ts). */
  trace_id: z
    .string()
    .nullish()
    .describe('OpenTelemetry trace id (32 hex digits); absent (null in GraphQL) when tracing was off'),
  span_id: z.string().nullish().describe('OpenTelemetry span id (16 hex digits); absent (null in GraphQL) when tracing was off'),
  /** Monotonic creation order inside a session (for stable layout). */
  created_at: z.string(),
  position_saved_at: z
    .string()
    .nullable()
    .describe("ISO 8601: when a console last saved `position`; null while it is the server's layout"),
});
export type ExecutionNode = z.infer<typeof ExecutionNode>;

/** A node as the store keeps it: the derived spec fields are computed on read (executionNode). */
export type NodeRecord = Omit<
  ExecutionNode,
  'data' | 'completed_at' | 'execution_time' | 'position' | 'position_saved_at' | 'version'
> & {
  position?: Position;
  /** The component version that ran; null when no component ran (read as DEFAULT_NODE_VERSION). */
  version: string | null;
};

export function executionNode(record: NodeRecord): ExecutionNode;
/** A node read without its payloads (graph loads, events). */
export function executionNode(record: Omit<NodeRecord, 'input' | 'output'>): Omit<ExecutionNode, 'input' | 'output'>;
export function executionNode({
  position,
  ...record
}: Omit<NodeRecord, 'input' | 'output'> & Partial<Pick<NodeRecord, 'input' | 'output'>>) {
  const version = record.version ?? DEFAULT_NODE_VERSION;
  return {
    ...record,
    version,
    data: { label: record.label, component: record.component, version, error: record.error },
    position: position ?? { x: 0, y: 0 },
    position_saved_at: null as string | null,
    completed_at: record.ended_at,
    execution_time: record.duration_ms == null ? null : record.duration_ms / 1000,
  };
}

/** A position a console saved for a node (the newest one wins over the server's layout). */
export const SavedPosition = z.object({ node_id: z.string(), position: Position, saved_at: z.string().describe('ISO 8601') });
export type SavedPosition = z.infer<typeof SavedPosition>;

/** Where a person put the node: a point on the canvas (zod refuses infinities and NaN). */
export const NodePositionInput = z.object({
  x: z.number().min(-1e7).max(1e7),
  y: z.number().min(-1e7).max(1e7),
});

export function withSavedPosition<N extends { id: string; position: Position; position_saved_at: string | null }>(
  node: N,
  saved: SavedPosition | undefined,
): N {
  return saved ? { ...node, position: saved.position, position_saved_at: saved.saved_at } : node;
}

/** The server's layout, fixed when a node is created: turns stacked vertically, a step below its parent, siblings side by side. */
const NODE_SPACING = { x: 240, y: 110, turn: 900 } as const;
export function placeNode(parent: Position | null, siblingIndex: number, turnIndex: number): Position {
  if (!parent) return { x: 0, y: turnIndex * NODE_SPACING.turn };
  return { x: parent.x + siblingIndex * NODE_SPACING.x, y: parent.y + NODE_SPACING.y };
}

/** replan: from the decision that re-planned to the plan it made. */
export const EdgeKind = z.enum(['flow', 'replay', 'replan']);
export type EdgeKind = z.infer<typeof EdgeKind>;

export const ExecutionEdge = z.object({
  // ── spec fields ──
  id: z.string(),
  source_node_id: z.string(),
  target_node_id: z.string(),
  label: z.string().nullable(),
  data: z.object({ kind: EdgeKind }).describe('kind: flow (a step after its parent) or replay (a re-run of the source)'),
  // ── Evoscope's extras ──
  session_id: z.string(),
  kind: EdgeKind,
});
export type ExecutionEdge = z.infer<typeof ExecutionEdge>;

/** The edge from one node to the next: its id names both ends; a flow edge has no label, others their kind. */
export function executionEdge(sessionId: string, source: string, target: string, kind: EdgeKind): ExecutionEdge {
  return {
    id: `${source}->${target}`,
    session_id: sessionId,
    source_node_id: source,
    target_node_id: target,
    kind,
    data: { kind },
    label: kind === 'flow' ? null : kind,
  };
}

export const ExecutionGraph = z.object({
  id: z.string(),
  session_id: z.string(),
  nodes: z.array(ExecutionNode),
  edges: z.array(ExecutionEdge),
  created_at: z.string().describe('ISO 8601: when the session was created'),
  updated_at: z.string().describe('ISO 8601: the latest change of any node'),
});
export type ExecutionGraph = z.infer<typeof ExecutionGraph>;
/** The graph with the execution stream's position it was read at, so a client resumes its channel without a gap. */
export const GraphWithCursor = ExecutionGraph.extend({
  last_seq: z.number().int().describe('resume /ws/execution with ?after_seq=last_seq'),
});
export type GraphWithCursor = z.infer<typeof GraphWithCursor>;
/** A replay's workflow has started: the new node joins the graph by a replay edge. */
export const ReplayStarted = z.object({ replay_id: z.string(), workflow_id: z.string() });
export type ReplayStarted = z.infer<typeof ReplayStarted>;

/** One graph per session; its id names it. */
export const executionGraphId = (sessionId: string) => `graph:${sessionId}`;

export function executionGraph(
  session: { id: string; created_at: string },
  nodes: ExecutionNode[],
  edges: ExecutionEdge[],
): ExecutionGraph {
  const times = nodes.map((n) => n.completed_at ?? n.started_at ?? n.created_at);
  const updated = times.reduce((a, b) => (b > a ? b : a), session.created_at);
  return {
    id: executionGraphId(session.id),
    session_id: session.id,
    nodes,
    edges,
    created_at: session.created_at,
    updated_at: updated,
  };
}
