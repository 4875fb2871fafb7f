/**
 * Turns the execution state into React Flow nodes and edges: which turns are
 * collapsed into one group node, where everything sits (graphLayout), and how
 * edges into a collapsed turn attach to its group. Pure; no React.
 */
import type { Edge, Node } from '@xyflow/react';
import type { ExecutionEdge } from '../../../domain/execution';
import type { NodeType } from '../../../domain/enums';
import {
  turnPhase,
  turnStats,
  type ExecutionState,
  type GraphNode,
  type TurnPhase,
  type TurnStats,
} from '../state/executionEvents';
import { frameNode } from './frameNode';
import { DEFAULT_LAYOUT_OPTIONS, layoutGraph, type LayoutItem, type LayoutLink, type Rect } from './graphLayout';

const EXEC_NODE_SIZE = { width: 224, height: 58 } as const;
const TURN_GROUP_SIZE = { width: 256, height: 70 } as const;

export type ExecNodeData = { node: GraphNode; highlighted: boolean };
/** `kind` replay: a group made only of replayed nodes (a replay runs as its own small turn). */
export type TurnSummaryData = {
  turnId: string;
  index: number;
  kind: 'turn' | 'replay';
  phase: TurnPhase;
  stats: TurnStats;
  highlighted: boolean;
};

export type ExecFlowNode = Node<ExecNodeData, NodeType>;
export type TurnFrameFlowNode = Node<TurnSummaryData, 'turnFrame'>;
export type TurnGroupFlowNode = Node<TurnSummaryData, 'turnGroup'>;
export type FlowNode = ExecFlowNode | TurnFrameFlowNode | TurnGroupFlowNode;
export type FlowEdge = Edge<{ kind: ExecutionEdge['kind'] }>;

export const frameId = (turnId: string) => `frame:${turnId}`;
export const groupId = (turnId: string) => `turn:${turnId}`;
/**
 * Id of the element that names a focusable node. React Flow's node wrapper
 * takes focus; it is labelled by text its component renders (nodeNames), which
 * re-renders on every data patch, so the name never goes stale.
 */
export const nodeNameId = (flowNodeId: string) => `node-name-${flowNodeId}`;

export interface CollapsePolicy {
  /** Collapse every finished turn except the newest one; null = automatic (large graphs only). */
  collapseCompleted: boolean | null;
  /** Per-turn choices of the user, which win over the policy. */
  overrides: Readonly<Record<string, boolean>>;
}

/** Graphs beyond this size open with finished turns collapsed. */
export const AUTO_COLLAPSE_NODE_COUNT = 150;

export function collapsedTurns(state: ExecutionState, policy: CollapsePolicy): Set<string> {
  const collapsed = new Set<string>();
  const turnIds = [...state.turns.keys()];
  const newest = turnIds[turnIds.length - 1];
  for (const turn of state.turns.values()) {
    if (turn.nodeIds.length === 0) continue;
    const override = policy.overrides[turn.id];
    const collapseCompleted = policy.collapseCompleted ?? state.nodes.size > AUTO_COLLAPSE_NODE_COUNT;
    const byPolicy = collapseCompleted && turn.id !== newest && turnPhase(turn, state.nodes) !== 'running';
    if (override ?? byPolicy) collapsed.add(turn.id);
  }
  return collapsed;
}

export interface FlowModel {
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Frame (or group) rectangle per turn, for "zoom to turn". */
  turnRects: Map<string, Rect>;
  /** The flow node that stands for each execution node (itself, or its turn's group). */
  visibleIdOf: Map<string, string>;
  /** The turns drawn as one group node. */
  collapsed: ReadonlySet<string>;
}

type GroupLayoutFn = Parameters<typeof layoutGraph>[4];

export function buildFlowModel(state: ExecutionState, collapsed: ReadonlySet<string>, reuse?: GroupLayoutFn): FlowModel {
  const items: LayoutItem[] = [];
  const visibleIdOf = new Map<string, string>();
  const turnOrder = [...state.turns.keys()];

  for (const turn of state.turns.values()) {
    if (turn.nodeIds.length === 0) continue;
    if (collapsed.has(turn.id)) {
      items.push({ id: groupId(turn.id), group: turn.id, ...TURN_GROUP_SIZE });
      for (const id of turn.nodeIds) visibleIdOf.set(id, groupId(turn.id));
    } else {
      for (const id of turn.nodeIds) {
        items.push({ id, group: turn.id, ...EXEC_NODE_SIZE });
        visibleIdOf.set(id, id);
      }
    }
  }

  const links: LayoutLink[] = [];
  const edges: FlowEdge[] = [];
  const seen = new Set<string>();
  /** Pairs joined by an edge of any kind: a parent link is only drawn where none is. */
  const linked = new Set<string>();
  for (const edge of state.edges.values()) {
    const source = visibleIdOf.get(edge.source_node_id);
    const target = visibleIdOf.get(edge.target_node_id);
    if (!source || !target || source === target) continue;
    const key = `${source}>${target}:${edge.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    linked.add(`${source}>${target}`);
    links.push({ id: edge.id, source, target });
    edges.push(flowEdge(edge, source, target));
  }
  // Nodes that name a parent but have no edge to it still hang under it.
  for (const node of state.nodes.values()) {
    if (!node.parent_node_id) continue;
    const source = visibleIdOf.get(node.parent_node_id);
    const target = visibleIdOf.get(node.id);
    if (!source || !target || source === target) continue;
    if (linked.has(`${source}>${target}`)) continue;
    linked.add(`${source}>${target}`);
    links.push({ id: `parent:${node.id}`, source, target });
    edges.push(flowEdge({ id: `parent:${node.id}`, kind: 'flow', label: null }, source, target));
  }

  const layout = layoutGraph(items, links, turnOrder, DEFAULT_LAYOUT_OPTIONS, reuse);
  const nodes: FlowNode[] = [];
  const turnRects = new Map<string, Rect>();
  const replayTargets = new Set<string>();
  for (const edge of state.edges.values()) if (edge.kind === 'replay') replayTargets.add(edge.target_node_id);
  let index = 0;
  for (const turn of state.turns.values()) {
    if (turn.nodeIds.length === 0) continue;
    const kind = turn.nodeIds.every((id) => replayTargets.has(id)) ? 'replay' : 'turn';
    if (kind === 'turn') index += 1;
    const laidOut = layout.groups.get(turn.id);
    if (!laidOut) continue;
    const placed = collapsed.has(turn.id) ? [] : placedNodes(turn.nodeIds, state.nodes, layout.positions);
    const rect = growToHold(
      laidOut,
      placed.filter(({ node }) => node.position_saved_at).map(({ position }) => position),
    );
    turnRects.set(turn.id, rect);
    const summary: TurnSummaryData = {
      turnId: turn.id,
      index,
      kind,
      phase: turnPhase(turn, state.nodes),
      stats: turnStats(turn, state.nodes),
      highlighted: false,
    };
    if (collapsed.has(turn.id)) {
      const id = groupId(turn.id);
      nodes.push({
        id,
        type: 'turnGroup',
        position: layout.positions.get(id)!,
        data: summary,
        ...TURN_GROUP_SIZE,
        draggable: false,
        connectable: false,
        domAttributes: labelledBy(id),
      });
      continue;
    }
    nodes.push(frameNode(frameId(turn.id), 'turnFrame', rect, summary));
    for (const { node, position } of placed) {
      nodes.push({
        id: node.id,
        type: node.type,
        position,
        data: { node, highlighted: false },
        ...EXEC_NODE_SIZE,
        // A person may move a node; the console saves where it was put (useNodeMoves).
        draggable: true,
        connectable: false,
        domAttributes: labelledBy(node.id),
      });
    }
  }
  return { nodes, edges, turnRects, visibleIdOf, collapsed };
}

const labelledBy = (id: string) => ({ 'aria-labelledby': nodeNameId(id) });

type Point = { x: number; y: number };

/** Each node at the position a person saved for it, else where the layout put it. */
function placedNodes(ids: readonly string[], nodes: ReadonlyMap<string, GraphNode>, laidOut: ReadonlyMap<string, Point>) {
  const placed: { node: GraphNode; position: Point }[] = [];
  for (const id of ids) {
    const node = nodes.get(id);
    const position = node?.position_saved_at ? node.position : laidOut.get(id);
    if (node && position) placed.push({ node, position });
  }
  return placed;
}

/** A turn's frame, grown to hold the nodes a person moved (with the layout's padding and room for the header). */
function growToHold(rect: Rect, topLefts: readonly Point[]): Rect {
  const { groupPadding: pad, groupHeader: header } = DEFAULT_LAYOUT_OPTIONS;
  let [left, top, right, bottom] = [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height];
  for (const p of topLefts) {
    left = Math.min(left, p.x - pad);
    top = Math.min(top, p.y - pad - header);
    right = Math.max(right, p.x + EXEC_NODE_SIZE.width + pad);
    bottom = Math.max(bottom, p.y + EXEC_NODE_SIZE.height + pad);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** A replay and a re-plan are labelled and styled apart from the plain flow (graph/graph.css `.edge-<kind>`). */
function flowEdge(edge: Pick<ExecutionEdge, 'id' | 'kind' | 'label'>, source: string, target: string): FlowEdge {
  const replay = edge.kind === 'replay';
  return {
    id: `${edge.id}`,
    source,
    target,
    type: replay ? 'default' : 'smoothstep',
    animated: replay,
    label: edge.label ?? (edge.kind === 'flow' ? undefined : edge.kind),
    className: `edge-${edge.kind}`,
    data: { kind: edge.kind },
    focusable: false,
  };
}
