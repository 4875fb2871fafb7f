import { z } from 'zod';
import { NodeStatus, NodeType } from './enums';

export const ExecutionNode = z.object({
  id: z.string(),
  session_id: z.string(),
  turn_id: z.string(),
  type: NodeType,
  label: z.string(),
  status: NodeStatus,
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  parent_node_id: z.string().nullable(),
  chat_message_ids: z.array(z.string()),
  /** The component (and its version) that ran in this node, when one did. */
  component: z.string().nullable(),
  version: z.string().nullable(),
  /** Temporal workflow id of the run that produced the node (for the Web UI link). */
  workflow_id: z.string(),
  /** Monotonic creation order inside a session (for stable layout). */
  created_at: z.string(),
});
export type ExecutionNode = z.infer<typeof ExecutionNode>;

export const EdgeKind = z.enum(['flow', 'replay']);
export type EdgeKind = z.infer<typeof EdgeKind>;

export const ExecutionEdge = z.object({
  id: z.string(),
  session_id: z.string(),
  source: z.string(),
  target: z.string(),
  kind: EdgeKind,
  label: z.string().nullable(),
});
export type ExecutionEdge = z.infer<typeof ExecutionEdge>;

export const ExecutionGraph = z.object({
  session_id: z.string(),
  nodes: z.array(ExecutionNode),
  edges: z.array(ExecutionEdge),
});
export type ExecutionGraph = z.infer<typeof ExecutionGraph>;
