/**
 * The execution graph's client state and the pure reducer that applies stored
 * execution events (domain/events.ts ExecutionEventData). Node data changes
 * replace one node object; only additions of node or edge ids bump
 * `structureVersion`, which is what triggers a new layout. Unit-tested in
 * test/unit/web-executionEvents.test.ts.
 */
import { ExecutionEventData, type NodeSummary, type TurnStatus } from '../../../domain/events';
import type { ExecutionEdge } from '../../../domain/execution';
import { freshInOrder, type SequencedEvent } from './sequencedEvents';

export type GraphNode = NodeSummary;

export interface TurnInfo {
  id: string;
  /** Node ids in creation order. */
  nodeIds: string[];
  /** Set by graph_updated; null until the server says. */
  reported: TurnStatus | null;
}

export interface ExecutionState {
  sessionId: string | null;
  loaded: boolean;
  lastSeq: number;
  nodes: ReadonlyMap<string, GraphNode>;
  edges: ReadonlyMap<string, ExecutionEdge>;
  /** Insertion order = order in which turns were first seen. */
  turns: ReadonlyMap<string, TurnInfo>;
  /** Increases whenever a node id or edge id is added; data patches leave it alone. */
  structureVersion: number;
  unreadable: number;
}

export type ExecutionAction =
  | { type: 'reset'; sessionId: string | null }
  | { type: 'loaded'; sessionId: string; nodes: GraphNode[]; edges: ExecutionEdge[]; lastSeq: number }
  | { type: 'events'; sessionId: string; events: SequencedEvent[] };

export function initialExecutionState(sessionId: string | null = null): ExecutionState {
  return {
    sessionId,
    loaded: false,
    lastSeq: 0,
    nodes: new Map(),
    edges: new Map(),
    turns: new Map(),
    structureVersion: 0,
    unreadable: 0,
  };
}

export function executionReducer(state: ExecutionState, action: ExecutionAction): ExecutionState {
  if (action.type === 'reset') return initialExecutionState(action.sessionId);
  if (action.sessionId !== state.sessionId) return state;
  switch (action.type) {
    case 'loaded': {
      const nodes = new Map<string, GraphNode>();
      const turns = new Map<string, TurnInfo>();
      const sorted = [...action.nodes].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
      for (const node of sorted) addNode(nodes, turns, node);
      const edges = new Map(action.edges.map((e) => [e.id, e]));
      return {
        ...initialExecutionState(action.sessionId),
        loaded: true,
        lastSeq: action.lastSeq,
        nodes,
        edges,
        turns,
        structureVersion: state.structureVersion + 1,
      };
    }
    case 'events':
      return applyExecutionEvents(state, action.events);
  }
}

function addNode(nodes: Map<string, GraphNode>, turns: Map<string, TurnInfo>, node: GraphNode) {
  nodes.set(node.id, node);
  const turn = turns.get(node.turn_id);
  if (turn) turn.nodeIds.push(node.id);
  else turns.set(node.turn_id, { id: node.turn_id, nodeIds: [node.id], reported: null });
}

/** Applies a batch in seq order, copying each map at most once. */
function applyExecutionEvents(state: ExecutionState, events: readonly SequencedEvent[]): ExecutionState {
  const fresh = freshInOrder(events, state.lastSeq);
  if (fresh.length === 0) return state;

  let nodes: Map<string, GraphNode> | null = null;
  let edges: Map<string, ExecutionEdge> | null = null;
  let turns: Map<string, TurnInfo> | null = null;
  const ownedTurns = new Set<string>();
  let structureChanged = false;
  let unreadable = state.unreadable;

  const writableNodes = () => (nodes ??= new Map(state.nodes));
  const writableEdges = () => (edges ??= new Map(state.edges));
  const writableTurn = (id: string): TurnInfo => {
    turns ??= new Map(state.turns);
    const existing = turns.get(id);
    if (existing && ownedTurns.has(id)) return existing;
    const copy: TurnInfo = existing ? { ...existing, nodeIds: existing.nodeIds.slice() } : { id, nodeIds: [], reported: null };
    turns.set(id, copy);
    ownedTurns.add(id);
    return copy;
  };

  for (const event of fresh) {
    const parsed = ExecutionEventData.safeParse(event.data);
    if (!parsed.success) {
      unreadable += 1;
      continue;
    }
    const data = parsed.data;
    switch (data.type) {
      case 'node_started':
      case 'node_completed':
      case 'node_failed': {
        const map = writableNodes();
        const previous = map.get(data.node.id);
        map.set(data.node.id, keepSavedPosition(previous, data.node));
        if (!previous) {
          writableTurn(data.node.turn_id).nodeIds.push(data.node.id);
          structureChanged = true;
        } else if (previous.turn_id !== data.node.turn_id) {
          const old = writableTurn(previous.turn_id);
          old.nodeIds = old.nodeIds.filter((id) => id !== data.node.id);
          writableTurn(data.node.turn_id).nodeIds.push(data.node.id);
          structureChanged = true;
        }
        break;
      }
      case 'edge_created': {
        const map = writableEdges();
        if (!map.has(data.edge.id)) structureChanged = true;
        map.set(data.edge.id, data.edge);
        break;
      }
      case 'graph_updated':
        writableTurn(data.turn_id).reported = data.status;
        break;
      case 'node_moved': {
        const map = writableNodes();
        const node = map.get(data.node_id);
        if (!node || (node.position_saved_at ?? '') > data.saved_at) break;
        map.set(node.id, { ...node, position: data.position, position_saved_at: data.saved_at });
        // A move re-lays out the canvas: the node's turn frame grows to hold it.
        structureChanged = true;
        break;
      }
    }
  }

  return {
    ...state,
    lastSeq: fresh[fresh.length - 1]!.seq,
    nodes: nodes ?? state.nodes,
    edges: edges ?? state.edges,
    turns: turns ?? state.turns,
    structureVersion: structureChanged ? state.structureVersion + 1 : state.structureVersion,
    unreadable,
  };
}

/** Status events carry the server's layout: a position a person saved stays. */
function keepSavedPosition(previous: GraphNode | undefined, next: GraphNode): GraphNode {
  if (!previous?.position_saved_at || next.position_saved_at) return next;
  return { ...next, position: previous.position, position_saved_at: previous.position_saved_at };
}

export type TurnPhase = 'running' | 'completed' | 'failed' | 'stopped';

/** The server's word when it has spoken; otherwise what the nodes say. */
export function turnPhase(turn: TurnInfo, nodes: ReadonlyMap<string, GraphNode>): TurnPhase {
  if (turn.reported) return turn.reported;
  let failed = false;
  for (const id of turn.nodeIds) {
    const status = nodes.get(id)?.status;
    if (status === 'executing' || status === 'pending') return 'running';
    if (status === 'error') failed = true;
  }
  return failed ? 'failed' : 'completed';
}

export interface TurnStats {
  total: number;
  pending: number;
  executing: number;
  success: number;
  error: number;
  /** From the first start to the last end among the turn's nodes. */
  durationMs: number | null;
  startedAt: string | null;
}

export function turnStats(turn: TurnInfo, nodes: ReadonlyMap<string, GraphNode>): TurnStats {
  const stats: TurnStats = { total: 0, pending: 0, executing: 0, success: 0, error: 0, durationMs: null, startedAt: null };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const id of turn.nodeIds) {
    const node = nodes.get(id);
    if (!node) continue;
    stats.total += 1;
    stats[node.status] += 1;
    if (node.started_at) first = Math.min(first, Date.parse(node.started_at));
    if (node.ended_at) last = Math.max(last, Date.parse(node.ended_at));
  }
  if (Number.isFinite(first)) stats.startedAt = new Date(first).toISOString();
  if (Number.isFinite(first) && Number.isFinite(last) && last >= first) stats.durationMs = last - first;
  return stats;
}
