/**
 * GraphQL documents the console sends, with the result shapes it reads.
 * Field names are snake_case as in api/schema.graphql and domain/*.ts.
 */
import type { ChatMessage, ChatSession } from '../../../domain/chat';
import type { AutonomyLevel, NodeStatus, NodeType } from '../../../domain/enums';
import type { ExecutionEdge, ExecutionNode } from '../../../domain/execution';
import type { SystemMetrics } from '../../../domain/meta';
import type { SystemActivity } from '../../../domain/systemActivity';

const MESSAGE_FIELDS =
  'id session_id role content timestamp metadata node_id status node_ids turn_id model { provider model offline } error';
/** Session lists carry no messages (domain/chat.ts ChatSession). */
const SESSION_FIELDS = `id title created_at updated_at execution_graph_id message_count messages { ${MESSAGE_FIELDS} }`;
/** Everything a graph node shows; inputs and outputs are fetched only for the details drawer. */
const NODE_SUMMARY_FIELDS =
  'id turn_id type label data position status started_at completed_at execution_time ended_at duration_ms error parent_node_id chat_message_ids component version workflow_id trace_id span_id created_at position_saved_at';
const EDGE_FIELDS = 'id session_id source_node_id target_node_id label data kind';
const METRICS_FIELDS = `total_components active_versions deprecated_versions autonomy_level avg_improvement_rate system_stability
  total_auto_changes change_success_rate timeline { date versions_created experiments promotions rollbacks }
  runs { runs_in_progress turns_per_minute avg_turn_ms p95_turn_ms error_rate events_per_second total_turns at }`;

export const SESSIONS_QUERY = `query Sessions { sessions { ${SESSION_FIELDS} } }`;
export interface SessionsResult {
  sessions: ChatSession[];
}

export const CREATE_SESSION = `mutation CreateSession($title: String) { create_session(title: $title) { ${SESSION_FIELDS} } }`;
export const RENAME_SESSION = `mutation RenameSession($id: ID!, $title: String!) { rename_session(id: $id, title: $title) { ${SESSION_FIELDS} } }`;
export const DELETE_SESSION = `mutation DeleteSession($id: ID!) { delete_session(id: $id) }`;
export interface CreateSessionResult {
  create_session: ChatSession;
}

/** The cursor is read before the page so that no event can fall between them (see useChatStream). */
export const CHAT_LAST_SEQ_QUERY = `query ChatLastSeq($session_id: ID!) { chat_last_seq(session_id: $session_id) }`;
export interface ChatLastSeqResult {
  chat_last_seq: number;
}

export const MESSAGES_QUERY = `query Messages($session_id: ID!, $before: String, $limit: Int) {
  messages(session_id: $session_id, before: $before, limit: $limit) { has_more messages { ${MESSAGE_FIELDS} } }
}`;
export interface MessagesResult {
  messages: { has_more: boolean; messages: ChatMessage[] };
}

export const SEND_MESSAGE = `mutation SendMessage($session_id: ID!, $content: String!, $client_message_id: String) {
  send_message(session_id: $session_id, content: $content, client_message_id: $client_message_id) { message_id node_id turn_id }
}`;
export interface SendMessageResultData {
  send_message: { message_id: string; node_id: string; turn_id: string };
}

export const STOP_GENERATION = `mutation StopGeneration($session_id: ID!) { stop_generation(session_id: $session_id) }`;

export const EXECUTION_GRAPH_QUERY = `query ExecutionGraph($session_id: ID!) {
  execution_graph(session_id: $session_id) {
    session_id last_seq
    nodes { ${NODE_SUMMARY_FIELDS} }
    edges { ${EDGE_FIELDS} }
  }
}`;
export interface ExecutionGraphResult {
  execution_graph: { session_id: string; last_seq: number; nodes: GraphNodeSummary[]; edges: ExecutionEdge[] };
}
export type GraphNodeSummary = Omit<ExecutionNode, 'input' | 'output' | 'session_id'> & { type: NodeType; status: NodeStatus };

export const NODE_QUERY = `query Node($session_id: ID!, $node_id: ID!) {
  node(session_id: $session_id, node_id: $node_id) { ${NODE_SUMMARY_FIELDS} session_id input output }
}`;
export interface NodeResult {
  node: ExecutionNode | null;
}

export const MOVE_NODE = `mutation MoveNode($session_id: ID!, $node_id: ID!, $x: Float!, $y: Float!) {
  move_node(session_id: $session_id, node_id: $node_id, x: $x, y: $y) { id position position_saved_at }
}`;

export const REPLAY_NODE = `mutation ReplayNode($session_id: ID!, $node_id: ID!) {
  replay_node(session_id: $session_id, node_id: $node_id) { replay_id workflow_id }
}`;
export interface ReplayNodeResult {
  replay_node: { replay_id: string; workflow_id: string };
}

export const CHAT_EVENTS_SUBSCRIPTION = `subscription ChatEvents($session_id: ID!, $after_seq: Int) {
  chat_events(session_id: $session_id, after_seq: $after_seq) { stream seq data created_at }
}`;
export const EXECUTION_EVENTS_SUBSCRIPTION = `subscription ExecutionEvents($session_id: ID!, $after_seq: Int) {
  execution_events(session_id: $session_id, after_seq: $after_seq) { stream seq data created_at }
}`;
/** One stored event as the subscriptions deliver it; `data` is validated against domain/events.ts on receipt. */
export interface StreamEventEnvelope {
  stream: string;
  seq: number;
  data: unknown;
  created_at: string;
}

export interface ModelSettings {
  base_url: string | null;
  model: string | null;
  has_api_key: boolean;
  offline: boolean;
}
export const MODEL_SETTINGS_QUERY = `query ModelSettings { model_settings { base_url model has_api_key offline } }`;
export interface ModelSettingsResult {
  model_settings: ModelSettings;
}
export const UPDATE_MODEL_SETTINGS = `mutation UpdateModelSettings($input: ModelSettingsInput!) {
  update_model_settings(input: $input) { base_url model has_api_key api_key_cleared offline }
}`;
export interface UpdateModelSettingsResult {
  /** api_key_cleared: this change dropped the stored key (a new base URL without a new key, or "Forget key"). */
  update_model_settings: ModelSettings & { api_key_cleared: boolean };
}
export const TEST_MODEL_CONNECTION = `mutation TestModelConnection { test_model_connection { ok model latency_ms message } }`;
export interface TestModelConnectionResult {
  test_model_connection: { ok: boolean; model: string; latency_ms: number; message: string };
}

export const AUTONOMY_LEVEL_QUERY = `query AutonomyLevel { autonomy_level }`;
export interface AutonomyLevelResult {
  autonomy_level: AutonomyLevel;
}
export const SET_AUTONOMY_LEVEL = `mutation SetAutonomyLevel($level: AutonomyLevel!) { set_autonomy_level(level: $level) }`;
export interface SetAutonomyLevelResult {
  set_autonomy_level: AutonomyLevel;
}

export const SYSTEM_METRICS_QUERY = `query SystemMetrics { system_metrics { ${METRICS_FIELDS} } }`;
export interface SystemMetricsResult {
  system_metrics: SystemMetrics;
}
export const SYSTEM_METRICS_SUBSCRIPTION = `subscription SystemMetricsUpdates { system_metrics_updates { ${METRICS_FIELDS} } }`;
export interface SystemMetricsUpdate {
  system_metrics_updates: SystemMetrics;
}

export const SYSTEM_ACTIVITY_QUERY = `query SystemActivity { system_activity { at minutes { at turns failed error_rate p50_turn_ms p99_turn_ms } } }`;
export interface SystemActivityResult {
  system_activity: SystemActivity;
}

export const SERVER_INFO_QUERY = `query ServerInfo { server_info { temporal_ui_url namespace trace_url_template } }`;
