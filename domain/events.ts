import { z } from 'zod';
import { ChatMessage } from './chat';
import { NodeStatus, NodeType } from './enums';
import { ExecutionEdge } from './execution';

/**
 * The event catalog. Every event is stored (with a per-stream sequence number)
 * before it is published; consumers resume from their last `seq`.
 * Payloads stay thin: nodes travel as summaries, details are fetched by id.
 */

export const chatStream = (sessionId: string) => `chat:${sessionId}`;
export const executionStream = (sessionId: string) => `execution:${sessionId}`;
export const META_STREAM = 'meta';

/** A node without its (possibly large) inputs and outputs. */
export const NodeSummary = z.object({
  id: z.string(),
  turn_id: z.string(),
  type: NodeType,
  label: z.string(),
  status: NodeStatus,
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  error: z.string().nullable(),
  parent_node_id: z.string().nullable(),
  chat_message_ids: z.array(z.string()),
  component: z.string().nullable(),
  version: z.string().nullable(),
  workflow_id: z.string(),
  created_at: z.string(),
});
export type NodeSummary = z.infer<typeof NodeSummary>;

export const ChatEventData = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message_created'), message: ChatMessage }),
  /** `attempt` lets listeners drop partial output of an earlier, failed attempt. */
  z.object({ type: z.literal('token'), message_id: z.string(), delta: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('stream_reset'), message_id: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('message_completed'), message: ChatMessage }),
  z.object({
    type: z.literal('agent_status'), node_id: z.string(), node_type: NodeType,
    label: z.string(), status: NodeStatus,
  }),
  z.object({ type: z.literal('context_update'), turn_id: z.string(), context: z.record(z.string(), z.unknown()) }),
]);
export type ChatEventData = z.infer<typeof ChatEventData>;

export const TurnStatus = z.enum(['running', 'completed', 'failed', 'stopped']);
export type TurnStatus = z.infer<typeof TurnStatus>;

export const ExecutionEventData = z.discriminatedUnion('type', [
  z.object({ type: z.literal('node_started'), node: NodeSummary }),
  z.object({ type: z.literal('node_completed'), node: NodeSummary }),
  z.object({ type: z.literal('node_failed'), node: NodeSummary }),
  z.object({ type: z.literal('edge_created'), edge: ExecutionEdge }),
  z.object({ type: z.literal('graph_updated'), turn_id: z.string(), status: TurnStatus }),
]);
export type ExecutionEventData = z.infer<typeof ExecutionEventData>;

export const MetaEventData = z.object({ type: z.string() }).passthrough();
export type MetaEventData = z.infer<typeof MetaEventData>;

/** A stored event as every consumer sees it. */
export interface StoredEvent<D = unknown> {
  v: 1;
  stream: string;
  seq: number;
  /** Idempotency key: the same key is stored once, however often it is emitted. */
  key: string;
  data: D;
  created_at: string;
}
export type ChatEvent = StoredEvent<ChatEventData>;
export type ExecutionEvent = StoredEvent<ExecutionEventData>;
