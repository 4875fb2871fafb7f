/**
 * Execution graphs written straight into the store, for what a test or the bench cannot
 * wait for a real run to produce: a 5,000-node session, or a steady stream of
 * node events. Nodes go into the same collection and event log the worker
 * writes, in the worker's shape, so the API and the console read them the ordinary way.
 */
import type { Db } from 'mongodb';
import type { NodeType } from '../domain/enums';
import { executionNode, type ExecutionEdge, type NodeRecord } from '../domain/execution';
import { nodeSummary, type ExecutionEventData } from '../domain/events';
import { collections, type NodeDoc } from '../store/collections';

/** The shape of one chat turn, as the worker draws it. */
const TURN_SHAPE: { step: string; type: NodeType; label: string; parent: string | null; component?: string }[] = [
  { step: 'user_input', type: 'user_input', label: 'User message', parent: null },
  { step: 'model_selector', type: 'model_selector', label: 'Select model', parent: 'user_input', component: 'offline' },
  { step: 'analyse', type: 'agent', label: 'Analyse intent', parent: 'model_selector', component: 'intent-agent' },
  { step: 'plan', type: 'plan', label: 'Plan steps', parent: 'analyse', component: 'planner' },
  { step: 'memory', type: 'memory', label: 'Recall memory', parent: 'plan', component: 'session-memory' },
  { step: 'rag', type: 'rag', label: 'Search docs', parent: 'plan', component: 'docs-search' },
  { step: 'tool', type: 'tool', label: 'Calculator', parent: 'plan', component: 'calculator' },
  { step: 'decide', type: 'decision', label: 'Check results', parent: 'tool', component: 'result-check' },
  { step: 'respond', type: 'response', label: 'Compose answer', parent: 'decide', component: 'responder' },
  { step: 'learn', type: 'learning', label: 'Record feedback', parent: 'respond', component: 'feedback' },
];

function makeNode(sessionId: string, turn: number, index: number, startMs: number): NodeRecord {
  const shape = TURN_SHAPE[index % TURN_SHAPE.length];
  const turnId = `${sessionId}:t${turn}`;
  const started = startMs + index * 40;
  return {
    id: `${turnId}:${shape.step}`,
    session_id: sessionId,
    turn_id: turnId,
    type: shape.type,
    label: shape.label,
    status: 'success',
    started_at: new Date(started).toISOString(),
    ended_at: new Date(started + 35).toISOString(),
    duration_ms: 35,
    input: { turn, step: shape.step },
    output: { ok: true },
    error: null,
    parent_node_id: shape.parent ? `${turnId}:${shape.parent}` : null,
    chat_message_ids: [],
    component: shape.component ?? null,
    version: shape.component ? '1.0.0' : null,
    workflow_id: `chat-turn:${sessionId}:seed-${turn}`,
    created_at: new Date(started).toISOString(),
  };
}

const flowEdge = (sessionId: string, source: string, target: string): ExecutionEdge => ({
  id: `${source}->${target}`,
  session_id: sessionId,
  source_node_id: source,
  target_node_id: target,
  kind: 'flow',
  data: { kind: 'flow' },
  label: null,
});

/** Inserts `turns` finished turns of ten nodes each (5,000 nodes = 500 turns). */
export async function seedFinishedTurns(db: Db, sessionId: string, turns: number): Promise<{ nodes: number; edges: number }> {
  const { nodes } = collections(db);
  const base = Date.parse('2025-01-01T00:00:00.000Z');
  // As the worker stores a node: one document with its payloads and the edge from its parent.
  const nodeDocs: NodeDoc[] = [];
  let edges = 0;
  for (let t = 0; t < turns; t++) {
    for (let i = 0; i < TURN_SHAPE.length; i++) {
      const node = makeNode(sessionId, t, i, base + t * 10_000);
      nodeDocs.push({ _id: node.id, ...node, ...(node.parent_node_id ? { parent_edge_kind: 'flow' } : {}) });
      if (node.parent_node_id) edges++;
    }
  }
  for (let i = 0; i < nodeDocs.length; i += 1000) await nodes.insertMany(nodeDocs.slice(i, i + 1000));
  return { nodes: nodeDocs.length, edges };
}

/** The execution events of one turn as the worker would emit them: edge, start and completion per node. */
export function liveTurnEvents(sessionId: string, turn: number, startMs = Date.now()): ExecutionEventData[] {
  const events: ExecutionEventData[] = [];
  for (let i = 0; i < TURN_SHAPE.length; i++) {
    const done = makeNode(sessionId, turn, i, startMs);
    const running: NodeRecord = { ...done, status: 'executing', ended_at: null, duration_ms: null };
    if (running.parent_node_id)
      events.push({ type: 'edge_created', edge: flowEdge(sessionId, running.parent_node_id, running.id) });
    events.push({ type: 'node_started', node: nodeSummary(executionNode(running)) });
    events.push({ type: 'node_completed', node: nodeSummary(executionNode(done)) });
  }
  events.push({ type: 'graph_updated', turn_id: `${sessionId}:t${turn}`, status: 'completed' });
  return events;
}
