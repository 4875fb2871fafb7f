import { useCallback, useState } from 'react';
import type { ExecutionState } from '../state/executionEvents';
import { AUTO_COLLAPSE_NODE_COUNT, buildFlowModel, collapsedTurns, type CollapsePolicy, type FlowModel } from './flowModel';
import { createGroupLayoutCache } from './graphLayout';

const AUTOMATIC: CollapsePolicy = { collapseCompleted: null, overrides: {} };

export interface FlowModelState {
  model: FlowModel;
  /** Whether finished turns are being collapsed (by the user's choice, or automatically for large graphs). */
  autoCollapsing: boolean;
  setTurnsCollapsed(turnIds: Iterable<string>, collapsed: boolean): void;
  /** "Expand all" / "Collapse done": a new policy for every turn, dropping per-turn choices. */
  toggleCollapseAll(): void;
}

/**
 * The flow model of one session's graph and the user's collapse choices. The model is
 * rebuilt only when the structure (node or edge ids) or the set of collapsed turns changes;
 * status and timing changes leave it alone (useFlowSync patches them into the flow).
 * Layout results are cached per turn, so a new node re-lays out only its own turn.
 */
export function useFlowModel(state: ExecutionState): FlowModelState {
  const [policy, setPolicy] = useState(AUTOMATIC);
  const [layoutCache] = useState(createGroupLayoutCache);
  const [built, setBuilt] = useState<{ key: string; model: FlowModel } | null>(null);

  const collapsed = collapsedTurns(state, policy);
  const key = `${state.sessionId}#${state.structureVersion}#${[...collapsed].join('|')}`;
  let model = built?.model;
  if (!model || built?.key !== key) {
    model = buildFlowModel(state, collapsed, layoutCache);
    setBuilt({ key, model });
  }

  const autoCollapsing = policy.collapseCompleted ?? state.nodes.size > AUTO_COLLAPSE_NODE_COUNT;
  const setTurnsCollapsed = useCallback((turnIds: Iterable<string>, value: boolean) => {
    const choices = Object.fromEntries([...turnIds].map((turnId) => [turnId, value]));
    if (Object.keys(choices).length > 0) setPolicy((p) => ({ ...p, overrides: { ...p.overrides, ...choices } }));
  }, []);
  const toggleCollapseAll = useCallback(() => setPolicy({ collapseCompleted: !autoCollapsing, overrides: {} }), [autoCollapsing]);
  return { model, autoCollapsing, setTurnsCollapsed, toggleCollapseAll };
}
