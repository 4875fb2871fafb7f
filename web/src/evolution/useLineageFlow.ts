/**
 * Keeps React Flow's nodes in step with the lineage model: a new structure (a version, a parent
 * link) replaces nodes and edges and fits the view once they are measured; changed figures or
 * fates only patch their nodes (updateNodeData); the selection is mirrored onto the nodes.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useNodesInitialized, useReactFlow } from '@xyflow/react';
import { changedNodeData, type LineageFlowEdge, type LineageFlowNode, type LineageModel } from './lineageModel';

export function useLineageFlow(model: LineageModel | null, selected: readonly string[]) {
  const rf = useReactFlow<LineageFlowNode, LineageFlowEdge>();
  const applied = useRef<{ key: string; nodes: LineageFlowNode[] } | null>(null);
  const [ready, setReady] = useState(false);
  const pendingFit = useRef(false);
  const pendingReveal = useRef<(() => void) | null>(null);
  const [structureSerial, setStructureSerial] = useState(0);
  const nodesInitialized = useNodesInitialized();

  // Structure → replace nodes and edges (and fit); data → patch the nodes that changed.
  // Only once React Flow is initialised: its store applies defaultNodes on mount, which would
  // wipe nodes set earlier (a remount whose data is already cached).
  const replaceStructure = useEffectEvent((next: LineageModel) => {
    const on = new Set(selected);
    rf.setNodes(next.nodes.map((n) => (on.has(n.id) ? { ...n, selected: true } : n)));
    rf.setEdges(next.edges);
    // A new version may land outside the view (and onlyRenderVisibleElements would hide it): show the whole lineage.
    pendingFit.current = true;
    setStructureSerial((n) => n + 1);
  });
  useEffect(() => {
    if (!model || !ready) return;
    const prev = applied.current;
    if (!prev || prev.key !== model.structureKey) replaceStructure(model);
    else for (const [id, data] of changedNodeData(prev.nodes, model.nodes)) rf.updateNodeData(id, data);
    applied.current = { key: model.structureKey, nodes: model.nodes };
  }, [model, rf, ready]);

  // Fit once the new nodes are measured (fitting earlier sees no nodes); a pending "show this version" wins.
  useEffect(() => {
    if (!pendingFit.current || !nodesInitialized) return;
    pendingFit.current = false;
    if (pendingReveal.current) {
      const reveal = pendingReveal.current;
      pendingReveal.current = null;
      reveal();
      return;
    }
    void rf.fitView({ padding: 0.12, maxZoom: 1, duration: structureSerial > 1 ? 250 : 0 });
  }, [nodesInitialized, structureSerial, rf]);

  // The selection mirrors the drawer.
  useEffect(() => {
    const on = new Set(selected);
    rf.setNodes((nodes) => {
      let changed = false;
      const next = nodes.map((n) => {
        const want = on.has(n.id);
        if (Boolean(n.selected) === want) return n;
        changed = true;
        return { ...n, selected: want };
      });
      return changed ? next : nodes;
    });
  }, [selected, rf]);

  /** Brings a version into view now, or instead of the fit still pending (which would undo it). */
  const revealAfterFit = useCallback((reveal: () => void) => {
    if (pendingFit.current) pendingReveal.current = reveal;
    else reveal();
  }, []);

  return { onInit: () => setReady(true), revealAfterFit };
}
