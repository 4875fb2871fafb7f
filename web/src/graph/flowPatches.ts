/**
 * How changes of the execution state reach React Flow without re-laying out
 * the canvas: a structural change replaces the node list but keeps the object
 * identity of every node that did not change (React Flow and the minimap skip
 * those); a data change becomes a small set of `updateNodeData` patches.
 * Pure; unit-tested in test/unit/web-flowPatches.test.ts.
 */
import type { ExecutionState } from '../state/executionEvents';
import { turnPhase, turnStats } from '../state/executionEvents';
import { frameId, groupId, type FlowEdge, type FlowModel, type FlowNode, type TurnSummaryData } from './flowModel';

export type NodeDataPatch = Partial<FlowNode['data']>;

/** What React Flow was last given: the state it reflects and the highlighted execution node ids. */
export interface AppliedState {
  nodes: ExecutionState['nodes'];
  turns: ExecutionState['turns'];
  highlighted: ReadonlySet<string>;
}

/** The flow node ids that stand for the given execution node ids (a collapsed turn stands for all of its nodes). */
export function visibleIds(model: FlowModel, ids: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) {
    const visible = model.visibleIdOf.get(id);
    if (visible) out.add(visible);
  }
  return out;
}

/** The model's nodes with highlight and selection applied, reusing every current node that is unchanged. */
export function nodesForStructure(
  current: readonly FlowNode[],
  model: FlowModel,
  highlighted: ReadonlySet<string>,
  selectedNodeId: string | null,
): FlowNode[] {
  const previous = new Map(current.map((n) => [n.id, n]));
  const lit = visibleIds(model, highlighted);
  return model.nodes.map((n) => {
    const on = lit.has(n.id);
    const selected = n.id === selectedNodeId;
    const wanted = on || selected ? ({ ...n, selected, data: { ...n.data, highlighted: on } } as FlowNode) : n;
    const prev = previous.get(n.id);
    return prev && sameFlowNode(prev, wanted) ? prev : wanted;
  });
}

/** The model's edges, reusing every current edge that is unchanged. */
export function edgesForStructure(current: readonly FlowEdge[], model: FlowModel): FlowEdge[] {
  const previous = new Map(current.map((e) => [e.id, e]));
  return model.edges.map((e) => {
    const prev = previous.get(e.id);
    return prev && prev.source === e.source && prev.target === e.target && prev.className === e.className ? prev : e;
  });
}

/** Patches for the nodes whose summary changed since `applied`, and for the frames (or groups) of their turns. */
export function dataPatches(applied: AppliedState, state: ExecutionState, model: FlowModel): Map<string, NodeDataPatch> {
  const patches = new Map<string, NodeDataPatch>();
  const touchedTurns = new Set<string>();
  for (const [id, node] of state.nodes) {
    if (applied.nodes.get(id) === node) continue;
    touchedTurns.add(node.turn_id);
    if (model.visibleIdOf.get(id) === id) patches.set(id, { node });
  }
  for (const [id, turn] of state.turns) if (applied.turns.get(id) !== turn) touchedTurns.add(id);
  for (const turnId of touchedTurns) {
    const turn = state.turns.get(turnId);
    if (!turn) continue;
    const data: Partial<TurnSummaryData> = { phase: turnPhase(turn, state.nodes), stats: turnStats(turn, state.nodes) };
    patches.set(model.collapsed.has(turnId) ? groupId(turnId) : frameId(turnId), data);
  }
  return patches;
}

/** Patches that move the highlight from one set of execution nodes to another. */
export function highlightPatches(
  model: FlowModel,
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): Map<string, NodeDataPatch> {
  const was = visibleIds(model, before);
  const now = visibleIds(model, after);
  const patches = new Map<string, NodeDataPatch>();
  for (const id of was) if (!now.has(id)) patches.set(id, { highlighted: false });
  for (const id of now) if (!was.has(id)) patches.set(id, { highlighted: true });
  return patches;
}

function sameFlowNode(a: FlowNode, b: FlowNode): boolean {
  if (a.type !== b.type || a.position.x !== b.position.x || a.position.y !== b.position.y) return false;
  if (a.width !== b.width || a.height !== b.height || Boolean(a.selected) !== Boolean(b.selected)) return false;
  const da = a.data as Record<string, unknown>;
  const db = b.data as Record<string, unknown>;
  if (da.highlighted !== db.highlighted) return false;
  if ('node' in db) return da.node === db.node;
  const sa = da as TurnSummaryData;
  const sb = db as TurnSummaryData;
  if (sa.turnId !== sb.turnId || sa.index !== sb.index || sa.kind !== sb.kind || sa.phase !== sb.phase) return false;
  const keys = Object.keys(sb.stats) as (keyof TurnSummaryData['stats'])[];
  return keys.every((k) => sa.stats[k] === sb.stats[k]);
}
