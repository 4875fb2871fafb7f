import { useEffect, useEffectEvent, useLayoutEffect, useRef } from 'react';
import { useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import type { ExecutionState } from '../state/executionEvents';
import type { FlowEdge, FlowModel, FlowNode } from './flowModel';
import {
  dataPatches,
  edgesForStructure,
  highlightPatches,
  nodesForStructure,
  type AppliedState,
  type NodeDataPatch,
} from './flowPatches';

/** Patches per batch above which one setNodes pass is cheaper than many updateNodeData calls. */
const PATCH_BATCH_LIMIT = 40;

interface Options {
  model: FlowModel;
  state: ExecutionState;
  highlighted: ReadonlySet<string>;
  selectedNodeId: string | null;
  /** Flips to true once React Flow has initialised. */
  ready: boolean;
}

/**
 * Keeps React Flow's nodes and edges in step with the execution state: a new
 * model (structure) replaces them; status, timing, highlight and selection
 * changes patch single nodes, so a busy run never re-lays out the canvas.
 */
export function useFlowSync({ model, state, highlighted, selectedNodeId, ready }: Options): void {
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const applied = useRef<AppliedState | null>(null);

  const replaceStructure = useEffectEvent(() => {
    rf.setNodes((current) => nodesForStructure(current, model, highlighted, selectedNodeId));
    rf.setEdges((current) => edgesForStructure(current, model));
    applied.current = { nodes: state.nodes, turns: state.turns, highlighted };
  });
  // Also once more when React Flow has initialised: its store applies defaultNodes on mount and would
  // wipe nodes set earlier. Not gated on it: a large session must be drawn, and patched, as soon as it loads.
  useLayoutEffect(() => replaceStructure(), [model, ready]);

  useEffect(() => {
    const prev = applied.current;
    if (!prev || (prev.nodes === state.nodes && prev.turns === state.turns)) return;
    applied.current = { ...prev, nodes: state.nodes, turns: state.turns };
    applyPatches(rf, dataPatches(prev, state, model));
  }, [state, model, rf]);

  useEffect(() => {
    const prev = applied.current;
    if (!prev || prev.highlighted === highlighted) return;
    applied.current = { ...prev, highlighted };
    applyPatches(rf, highlightPatches(model, prev.highlighted, highlighted));
  }, [highlighted, model, rf]);

  // The selected node mirrors the details drawer.
  useEffect(() => {
    rf.setNodes((nodes) => {
      let changed = false;
      const next = nodes.map((n) => {
        const selected = n.id === selectedNodeId;
        if (Boolean(n.selected) === selected) return n;
        changed = true;
        return { ...n, selected };
      });
      return changed ? next : nodes;
    });
  }, [selectedNodeId, rf]);
}

function applyPatches(rf: ReactFlowInstance<FlowNode, FlowEdge>, patches: Map<string, NodeDataPatch>): void {
  if (patches.size === 0) return;
  if (patches.size <= PATCH_BATCH_LIMIT) {
    for (const [id, patch] of patches) rf.updateNodeData(id, patch);
    return;
  }
  rf.setNodes((nodes) =>
    nodes.map((n) => {
      const patch = patches.get(n.id);
      return patch ? ({ ...n, data: { ...n.data, ...patch } } as FlowNode) : n;
    }),
  );
}
