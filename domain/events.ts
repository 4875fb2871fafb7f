import { z } from 'zod';
import { ChatMessage } from './chat';
import { NodeStatus, NodeType } from './enums';
import { ExecutionEdge, ExecutionNode, SavedPosition } from './execution';

/**
 * The event catalog. Every event is stored (with a per-stream sequence number)
 * before it is published; consumers resume from their last `seq`.
 * Payloads stay thin: nodes travel as summaries, details are fetched by id.
 */

export const chatStream = (sessionId: string) => `chat:${sessionId}`;
export const executionStream = (sessionId: string) => `execution:${sessionId}`;
export const META_STREAM = 'meta';

/** A node without its (possibly large) inputs and outputs. */
export const NodeSummary = ExecutionNode.omit({ session_id: true, input: true, output: true });
export type NodeSummary = z.infer<typeof NodeSummary>;
/** What events carry of a node: everything but its session and payloads (which may be large). */
export function nodeSummary({
  session_id: _s,
  input: _i,
  output: _o,
  ...summary
}: Omit<ExecutionNode, 'input' | 'output'> & Partial<Pick<ExecutionNode, 'input' | 'output'>>): NodeSummary {
  return summary;
}

export const ChatEventData = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message_created'), message: ChatMessage }),
  /** `attempt` lets listeners drop partial output of an earlier, failed attempt. */
  z.object({ type: z.literal('token'), message_id: z.string(), delta: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('stream_reset'), message_id: z.string(), attempt: z.number().int() }),
  z.object({ type: z.literal('message_completed'), message: ChatMessage }),
  z.object({
    type: z.literal('agent_status'),
    node_id: z.string(),
    node_type: NodeType,
    label: z.string(),
    status: NodeStatus,
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
  /** Evoscope's addition: a person moved a node on a console; every console viewing the session follows. */
  SavedPosition.extend({ type: z.literal('node_moved') }),
]);
export type ExecutionEventData = z.infer<typeof ExecutionEventData>;

const CreatedBy = z.object({ kind: z.string(), detail: z.string().nullable() });
const Verdict = z.enum(['b_better', 'a_better', 'no_difference']);

/** The meta stream: what the evolution engine and the autonomy setting did. New fields stay optional. */
export const MetaEventData = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('component_generated'),
    component: z.string(),
    version: z.string(),
    component_type: z.string().optional(),
    file_path: z.string().optional(),
    created_by: CreatedBy.optional(),
  }),
  z.object({
    type: z.literal('component_modified'),
    component: z.string(),
    version: z.string(),
    previous_version: z.string().nullable().optional(),
    created_by: CreatedBy.optional(),
    status: z.string().optional(),
  }),
  z.object({
    type: z.literal('test_completed'),
    experiment_id: z.string(),
    component: z.string(),
    version: z.string(),
    arm: z.enum(['a', 'b', 'candidate']).optional(),
    case_id: z.string(),
    holdout: z.boolean().optional(),
    passed: z.boolean(),
    mean_score: z.number().optional(),
    latency_ms: z.number().optional(),
    failure: z.string().nullable().optional(),
  }),
  z.object({
    type: z.literal('learning_progress'),
    experiment_id: z.string(),
    component: z.string(),
    stage: z.string(),
    progress: z.number().min(0).max(1),
    message: z.string().optional(),
  }),
  z.object({
    type: z.literal('learning_iteration'),
    experiment_id: z.string(),
    component: z.string(),
    version_a: z.string(),
    version_b: z.string(),
    verdict: Verdict,
    winner: z.string().nullable(),
    effect: z.number().optional(),
    p_value: z.number().optional(),
    ci_low: z.number().optional(),
    ci_high: z.number().optional(),
    summary: z.string().optional(),
  }),
  z.object({
    type: z.literal('experiment_started'),
    experiment_id: z.string(),
    component: z.string(),
    version_a: z.string(),
    version_b: z.string(),
    goal: z.string().nullable().optional(),
  }),
  z.object({
    type: z.literal('experiment_decided'),
    experiment_id: z.string(),
    component: z.string(),
    action: z.string(),
    outcome: z.string(),
    reason: z.string(),
    decided_by: z.string(),
    autonomy_level: z.string().optional(),
  }),
  z.object({
    type: z.literal('version_promoted'),
    component: z.string(),
    version: z.string(),
    previous_version: z.string().nullable(),
    experiment_id: z.string().nullable().optional(),
    decided_by: z.string().optional(),
  }),
  z.object({
    type: z.literal('version_rolled_back'),
    component: z.string(),
    version: z.string(),
    from_version: z.string().nullable(),
    reason: z.string(),
    automatic: z.boolean().optional(),
    experiment_id: z.string().nullable().optional(),
  }),
  /** A component file the registry could not load or version: left out of this scan (the next scan tries again). */
  z.object({ type: z.literal('component_file_skipped'), file_path: z.string(), reason: z.string() }),
  z.object({ type: z.literal('autonomy_level_changed'), previous: z.string().optional(), level: z.string() }),
  z.object({ type: z.literal('change_rules_updated'), rules: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('schedule_updated'), enabled: z.boolean(), interval_minutes: z.number() }),
  z.object({ type: z.literal('predictions_updated'), count: z.number().int(), top: z.string().nullable().optional() }),
  /** Evoscope's addition: a person marked an answer right or wrong; a wrong mark lists the taught cases it made. */
  z.object({
    type: z.literal('answer_marked'),
    feedback_id: z.string(),
    session_id: z.string(),
    message_id: z.string(),
    verdict: z.enum(['right', 'wrong']),
    cases: z.array(z.object({ id: z.string(), component: z.string(), split: z.enum(['train', 'held_out']) })),
  }),
  z.object({
    type: z.literal('prediction_settled'),
    prediction_id: z.string(),
    component: z.string().optional(),
    experiment_id: z.string(),
    actual_improvement: z.number().nullable(),
    /** Why its evolution ended without an outcome (then the prediction can be executed again); absent from older events. */
    failure: z.string().nullable().optional(),
  }),
]);
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
