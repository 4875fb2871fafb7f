/**
 * The live execution graph. Structure changes (new node or edge ids, a turn
 * collapsed or expanded) rebuild the flow and re-run layout for the groups
 * that changed; status and timing changes patch single nodes with
 * updateNodeData, so a busy run never re-lays out the canvas.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type SyntheticEvent } from 'react';
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow,
  type AriaLabelConfig, type Node, type NodeMouseHandler,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { ChatMessage } from '../../../domain/chat';
import type { ServerInfo } from '../api/documents';
import type { ExecutionStream } from '../state/useExecutionStream';
import { turnPhase, turnStats } from '../state/executionEvents';
import { nodeTypes } from './ExecNodes';
import { GraphActionsContext, type GraphActions } from './GraphActions';
import {
  AUTO_COLLAPSE_NODE_COUNT, buildFlowModel, collapsedTurns, frameId, groupId,
  type CollapsePolicy, type FlowEdge, type FlowNode, type TurnFrameFlowNode, type TurnGroupFlowNode, type TurnSummaryData,
} from './flowModel';
import { createGroupLayoutCache, type Rect } from './graphLayout';
import { NodeDetails } from './NodeDetails';
import { NODE_TYPE_ACCENTS } from './nodeVisuals';
import { useNodeKeyboard } from './useNodeKeyboard';
import { useElementWidth } from '../layout/useElementWidth';

export interface FocusRequest {
  nodeIds: string[];
  /** Changes on every request, so asking twice for the same nodes pans twice. */
  serial: number;
}

interface Props {
  sessionId: string | null;
  exec: ExecutionStream;
  messages: ChatMessage[];
  highlightedNodeIds: ReadonlySet<string>;
  focus: FocusRequest | null;
  selectedNodeId: string | null;
  serverInfo: ServerInfo | null;
  onSelectNode(id: string | null): void;
  onShowMessage(id: string): void;
}

/** Patches per batch above which one setNodes pass is cheaper than many updateNodeData calls. */
const PATCH_BATCH_LIMIT = 40;
/** Read out with every focused node; React Flow shows one key or the other depending on disableKeyboardA11y. */
const NODE_KEYBOARD_HELP: Partial<AriaLabelConfig> = {
  'node.a11yDescription.default': 'Press Enter to open its details, Escape to close them.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter to open its details, Escape to close them.',
};
const STATUS_COLORS = { pending: '#5b6475', executing: '#7c9cff', success: '#3ecf8e', error: '#ff5c5c' } as const;

export function GraphPanel(props: Props) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

function GraphCanvas({ sessionId, exec, messages, highlightedNodeIds, focus: focusFromChat, selectedNodeId, serverInfo, onSelectNode, onShowMessage }: Props) {
  // Requests to show nodes come from the chat (a message's nodes) or from the drawer (a new replay).
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  useEffect(() => setFocus(focusFromChat), [focusFromChat]);
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const { state } = exec;
  const [policy, setPolicy] = useState<CollapsePolicy>({ collapseCompleted: null, overrides: {} });
  const [follow, setFollow] = useState(true);
  const layoutCache = useRef(createGroupLayoutCache());

  // A fresh session: new layout cache, automatic collapsing (large graphs open with finished turns collapsed).
  useEffect(() => {
    layoutCache.current = createGroupLayoutCache();
    setFollow(true);
    setPolicy({ collapseCompleted: null, overrides: {} });
  }, [sessionId]);

  const collapsed = collapsedTurns(state, policy);
  const collapsedKey = [...collapsed].join('|');
  const model = useMemo(
    () => buildFlowModel(state, collapsed, layoutCache.current),
    // Rebuild on structure only; data changes are patched below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.sessionId, state.structureVersion, collapsedKey],
  );
  const modelRef = useRef(model);
  modelRef.current = model;
  const autoCollapsing = policy.collapseCompleted ?? state.nodes.size > AUTO_COLLAPSE_NODE_COUNT;

  const highlightRef = useRef(highlightedNodeIds);
  highlightRef.current = highlightedNodeIds;
  const applied = useRef<{ nodes: typeof state.nodes; turns: typeof state.turns; highlighted: ReadonlySet<string> } | null>(null);
  const firstFitDone = useRef<string | null>(null);

  const turnRectOf = useCallback((turnId: string): Rect | undefined => model.turnRects.get(turnId), [model]);
  /**
   * fitBounds, but never closer than 100 % (a small turn should not fill the
   * panel with giant nodes), and into the part of the canvas the details
   * drawer leaves free.
   */
  const zoomToRect = useCallback(
    (rect: Rect, duration = 300, whole = true) => {
      const pane = paneSize();
      const inset = drawerInsetRef.current;
      const width = pane.width - inset.right;
      const height = pane.height - inset.bottom;
      if (width <= 0 || height <= 0) return Promise.resolve(false);
      const padding = 0.1;
      // `whole`: the entire turn; otherwise fit its width and keep its newest (lowest) nodes in view.
      const zoom = Math.min(1, (width * (1 - padding)) / rect.width, whole ? (height * (1 - padding)) / rect.height : 1);
      const clamped = Math.max(0.05, zoom);
      // Tall turns: show their newest (lowest) part rather than the middle.
      const tooTall = rect.height * clamped > height * (1 - padding);
      const cy = tooTall ? rect.y + rect.height - (height * (1 - padding / 2)) / 2 / clamped : rect.y + rect.height / 2;
      return rf.setCenter(rect.x + rect.width / 2 + inset.right / 2 / clamped, cy + inset.bottom / 2 / clamped, { zoom: clamped, duration });
    },
    [rf],
  );
  const canvasRef = useRef<HTMLDivElement>(null);
  const paneSize = () => ({ width: canvasRef.current?.clientWidth ?? 0, height: canvasRef.current?.clientHeight ?? 0 });
  // Narrow canvases get the drawer as a bottom sheet, wide ones beside the graph.
  const canvasWidth = useElementWidth(canvasRef, 800);
  const drawerPlacement: 'side' | 'bottom' = canvasWidth < 700 ? 'bottom' : 'side';
  const drawerOpen = Boolean(selectedNodeId && state.nodes.has(selectedNodeId));
  const drawerInsetRef = useRef({ right: 0, bottom: 0 });
  drawerInsetRef.current = !drawerOpen
    ? { right: 0, bottom: 0 }
    : drawerPlacement === 'side'
      ? { right: Math.min(400, canvasWidth * 0.92), bottom: 0 }
      : { right: 0, bottom: (canvasRef.current?.clientHeight ?? 0) * 0.56 };

  // Structure: replace the flow's nodes and edges — and once more when React Flow has initialised,
  // since its store applies defaultNodes on mount and would wipe nodes set earlier (a return to
  // this tab). Not gated on that: a large session must be drawn, and patched, as soon as it loads.
  const [ready, setReady] = useState(false);
  useLayoutEffect(() => {
    const hl = highlightRef.current;
    const visibleHighlights = new Set<string>();
    for (const id of hl) {
      const v = model.visibleIdOf.get(id);
      if (v) visibleHighlights.add(v);
    }
    // Unchanged nodes and edges keep their object identity, so React Flow
    // (and the minimap) skip them: a new node in a 5,000-node session costs
    // one node's work, not a redraw of everything.
    rf.setNodes((current) => {
      const previous = new Map(current.map((n) => [n.id, n]));
      return model.nodes.map((n) => {
        const on = visibleHighlights.has(n.id);
        const selected = n.id === selectedNodeId;
        const wanted = on || selected ? ({ ...n, selected, data: { ...n.data, highlighted: on } } as FlowNode) : n;
        const prev = previous.get(n.id);
        return prev && sameFlowNode(prev, wanted) ? prev : wanted;
      });
    });
    rf.setEdges((current) => {
      const previous = new Map(current.map((e) => [e.id, e]));
      return model.edges.map((e) => {
        const prev = previous.get(e.id);
        return prev && prev.source === e.source && prev.target === e.target && prev.className === e.className ? prev : e;
      });
    });
    applied.current = { nodes: state.nodes, turns: state.turns, highlighted: hl };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, rf, ready]);

  // Keep the newest turn in view while following, and fit once per session.
  useEffect(() => {
    if (!state.loaded || model.turnRects.size === 0) return;
    const newestOf = (m: typeof model) => [...m.turnRects.values()].pop()!;
    const newest = newestOf(model);
    if (firstFitDone.current !== state.sessionId) {
      firstFitDone.current = state.sessionId;
      // After the pane has its size; by then the model may have moved on, so read the latest.
      requestAnimationFrame(() => void zoomToRect(newestOf(modelRef.current), 0, false));
      return;
    }
    if (follow) void zoomToRect(newest, 300, false);
  }, [model, follow, state.loaded, state.sessionId, zoomToRect]);

  // Data: patch nodes whose summary changed, and the frames of their turns.
  useEffect(() => {
    const prev = applied.current;
    if (!prev || (prev.nodes === state.nodes && prev.turns === state.turns)) return;
    const patches = new Map<string, Partial<FlowNode['data']>>();
    const touchedTurns = new Set<string>();
    for (const [id, node] of state.nodes) {
      if (prev.nodes.get(id) === node) continue;
      touchedTurns.add(node.turn_id);
      if (model.visibleIdOf.get(id) === id) patches.set(id, { node });
    }
    for (const [id, turn] of state.turns) if (prev.turns.get(id) !== turn) touchedTurns.add(id);
    for (const turnId of touchedTurns) {
      const turn = state.turns.get(turnId);
      if (!turn) continue;
      const data: Partial<TurnSummaryData> = { phase: turnPhase(turn, state.nodes), stats: turnStats(turn, state.nodes) };
      patches.set(collapsed.has(turnId) ? groupId(turnId) : frameId(turnId), data);
    }
    applied.current = { ...prev, nodes: state.nodes, turns: state.turns };
    applyPatches(rf, patches);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.nodes, state.turns]);

  // Highlights from the chat (a message's nodes) patch only the nodes that change.
  useEffect(() => {
    const prev = applied.current;
    if (!prev || prev.highlighted === highlightedNodeIds) return;
    const toVisible = (ids: ReadonlySet<string>) => {
      const out = new Set<string>();
      for (const id of ids) {
        const v = model.visibleIdOf.get(id);
        if (v) out.add(v);
      }
      return out;
    };
    const before = toVisible(prev.highlighted);
    const after = toVisible(highlightedNodeIds);
    const patches = new Map<string, Partial<FlowNode['data']>>();
    for (const id of before) if (!after.has(id)) patches.set(id, { highlighted: false });
    for (const id of after) if (!before.has(id)) patches.set(id, { highlighted: true });
    applied.current = { ...prev, highlighted: highlightedNodeIds };
    applyPatches(rf, patches);
  }, [highlightedNodeIds, model, rf]);

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

  // A request from the chat to show some nodes: expand their turns, then fit them.
  const pendingFocus = useRef<FocusRequest | null>(null);
  useEffect(() => {
    if (!focus) return;
    pendingFocus.current = focus;
    setFollow(false);
    const turnsToOpen = new Set<string>();
    for (const id of focus.nodeIds) {
      const node = state.nodes.get(id);
      if (node && collapsed.has(node.turn_id)) turnsToOpen.add(node.turn_id);
    }
    if (turnsToOpen.size > 0) {
      setPolicy((p) => ({ ...p, overrides: { ...p.overrides, ...Object.fromEntries([...turnsToOpen].map((t) => [t, false])) } }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);
  useEffect(() => {
    const request = pendingFocus.current;
    if (!request) return;
    const visible = [...new Set(request.nodeIds.map((id) => model.visibleIdOf.get(id)).filter((v): v is string => Boolean(v)))];
    if (visible.length === 0) return;
    pendingFocus.current = null;
    requestAnimationFrame(() => {
      const bounds = rf.getNodesBounds(visible);
      void zoomToRect({ x: bounds.x - 40, y: bounds.y - 40, width: bounds.width + 80, height: bounds.height + 80 }, 350);
    });
  }, [model, focus, rf, zoomToRect]);

  // A turn just expanded is brought into view once its new layout exists.
  const zoomAfterLayout = useRef<string | null>(null);
  useEffect(() => {
    const turnId = zoomAfterLayout.current;
    const rect = turnId ? model.turnRects.get(turnId) : undefined;
    if (!turnId || !rect || collapsed.has(turnId)) return;
    zoomAfterLayout.current = null;
    void zoomToRect(rect);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, zoomToRect]);

  const actions = useMemo<GraphActions>(
    () => ({
      toggleTurn: (turnId) => {
        const expanding = collapsedRef.current.has(turnId);
        if (expanding) {
          zoomAfterLayout.current = turnId;
          setFollow(false);
        }
        setPolicy((p) => ({ ...p, overrides: { ...p.overrides, [turnId]: !expanding } }));
      },
      zoomToTurn: (turnId) => {
        const rect = turnRectRef.current(turnId);
        if (rect) {
          setFollow(false);
          void zoomToRect(rect);
        }
      },
    }),
    [zoomToRect],
  );
  const collapsedRef = useRef(collapsed);
  collapsedRef.current = collapsed;
  const turnRectRef = useRef(turnRectOf);
  turnRectRef.current = turnRectOf;

  /** What a click, or Enter on a focused node, does: a collapsed turn expands, any other node shows its details. */
  const activateNode = useCallback(
    (id: string) => {
      const node = rf.getNode(id);
      if (node?.type === 'turnGroup') actions.toggleTurn(node.data.turnId);
      else if (node && node.type !== 'turnFrame') onSelectNode(id);
    },
    [rf, actions, onSelectNode],
  );
  const onNodeClick: NodeMouseHandler<FlowNode> = useCallback((_event, node) => activateNode(node.id), [activateNode]);
  const closeDetails = useCallback(() => onSelectNode(null), [onSelectNode]);
  const onCanvasKeyDown = useNodeKeyboard({ canvasRef, selectedNodeId, activate: activateNode, closeDetails });
  // Any hand on the canvas (drag, wheel, click, keyboard focus) means the user is looking somewhere: stop following.
  const stopFollowingUnlessInDrawer = (e: SyntheticEvent) => {
    if (!(e.target as Element).closest('.node-drawer')) setFollow(false);
  };

  const turnIds = useMemo(() => [...model.turnRects.keys()], [model]);
  const turnCount = useMemo(
    () => model.nodes.filter((n) => (n.type === 'turnFrame' || n.type === 'turnGroup') && (n.data as TurnSummaryData).kind === 'turn').length,
    [model],
  );
  // Options change with the structure only (a 500-turn session re-renders none of them per event).
  const turnOptions = useMemo(
    () =>
      model.nodes
        .filter((n): n is TurnFrameFlowNode | TurnGroupFlowNode => n.type === 'turnFrame' || n.type === 'turnGroup')
        .map((n) => (
          <option key={n.data.turnId} value={n.data.turnId}>
            {n.data.kind === 'replay' ? `Replay (after turn ${n.data.index})` : `Turn ${n.data.index}`}
          </option>
        )),
    [model],
  );
  const selectedSummary = selectedNodeId ? state.nodes.get(selectedNodeId) ?? null : null;
  const linkedMessages = useMemo(() => {
    if (!selectedSummary) return [];
    const ids = new Set(selectedSummary.chat_message_ids);
    return messages.filter((m) => ids.has(m.id) || m.node_ids.includes(selectedSummary.id));
  }, [messages, selectedSummary]);
  const runningTurns = turnIds.filter((t) => turnPhase(state.turns.get(t)!, state.nodes) === 'running').length;

  return (
    <GraphActionsContext.Provider value={actions}>
      <div className="viz">
        <div className="panel-toolbar viz-toolbar">
          <h2 className="panel-title">Execution</h2>
          <span className="toolbar-meta" data-testid="graph-counts">
            {state.nodes.size} nodes · {turnCount} turns{runningTurns > 0 ? <span className="live-dot"> · {runningTurns} running</span> : null}
          </span>
          <span className="toolbar-spacer" />
          <select
            className="select select-sm"
            aria-label="Zoom to a turn"
            value=""
            onChange={(e) => e.target.value && actions.zoomToTurn(e.target.value)}
            disabled={turnIds.length === 0}
          >
            <option value="">Zoom to turn…</option>
            {turnOptions}
          </select>
          <button type="button" className="btn btn-sm" onClick={() => { setFollow(false); void rf.fitView({ padding: 0.1, duration: 300 }); }} title="Fit the whole graph">
            Fit
          </button>
          <button
            type="button"
            className={`btn btn-sm${follow ? ' is-on' : ''}`}
            aria-pressed={follow}
            onClick={() => setFollow((f) => !f)}
            title="Keep the newest turn in view"
          >
            Follow
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => setPolicy({ collapseCompleted: !autoCollapsing, overrides: {} })}
            title={autoCollapsing ? 'Expand every turn' : 'Collapse finished turns into one node each'}
          >
            {autoCollapsing ? 'Expand all' : 'Collapse done'}
          </button>
        </div>
        <div
          className="viz-canvas"
          data-testid="graph-canvas"
          ref={canvasRef}
          onPointerDownCapture={stopFollowingUnlessInDrawer}
          onFocusCapture={stopFollowingUnlessInDrawer}
          onWheelCapture={() => setFollow(false)}
          onKeyDownCapture={onCanvasKeyDown}
        >
          <ReactFlow<FlowNode, FlowEdge>
            defaultNodes={[]}
            defaultEdges={[]}
            nodeTypes={nodeTypes}
            onInit={() => setReady(true)}
            onNodeClick={onNodeClick}
            onPaneClick={closeDetails}
            onMoveStart={(event) => {
              if (event) setFollow(false);
            }}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            edgesFocusable={false}
            // The graph is a record of what ran: nothing in it may be deleted.
            deleteKeyCode={null}
            ariaLabelConfig={NODE_KEYBOARD_HELP}
            elementsSelectable
            minZoom={0.05}
            maxZoom={2}
            proOptions={{ hideAttribution: true }}
            colorMode="dark"
          >
            <Background variant={BackgroundVariant.Dots} gap={22} size={1} color="#263043" />
            {state.nodes.size > 0 ? <MiniMap<FlowNode>
              pannable
              zoomable
              ariaLabel="Graph overview"
              nodeColor={minimapColor}
              nodeStrokeWidth={0}
              maskColor="rgba(8, 11, 18, 0.72)"
              style={{ width: 132, height: 88 }}
            /> : null}
            <Controls showInteractive={false} position="bottom-left" />
          </ReactFlow>
          {state.loaded && state.nodes.size === 0 ? (
            <div className="viz-empty">
              <div className="viz-empty-title">No runs yet</div>
              <div>Send a message: each step of the run appears here as it happens.</div>
            </div>
          ) : null}
          {!sessionId ? <div className="viz-empty"><div className="viz-empty-title">No session open</div></div> : null}
          {exec.error ? <div className="viz-error" role="status">Graph stream: {exec.error}</div> : null}
          {selectedSummary && sessionId ? (
            <NodeDetails
              key={selectedSummary.id}
              placement={drawerPlacement}
              sessionId={sessionId}
              summary={selectedSummary}
              edges={state.edges}
              nodes={state.nodes}
              linkedMessages={linkedMessages}
              serverInfo={serverInfo}
              onClose={closeDetails}
              onSelectNode={(id) => onSelectNode(id)}
              onShowMessage={onShowMessage}
              onRevealNode={(id) => setFocus((f) => ({ nodeIds: [id, selectedSummary.id], serial: (f?.serial ?? 0) + 1 }))}
            />
          ) : null}
        </div>
      </div>
    </GraphActionsContext.Provider>
  );
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

function minimapColor(node: Node): string {
  if (node.type === 'turnFrame') return 'rgba(124, 156, 255, 0.06)';
  if (node.type === 'turnGroup') return '#3a4560';
  const data = node.data as { node?: { status: keyof typeof STATUS_COLORS; type: keyof typeof NODE_TYPE_ACCENTS } };
  if (!data.node) return '#3a4560';
  return data.node.status === 'success' ? NODE_TYPE_ACCENTS[data.node.type] : STATUS_COLORS[data.node.status];
}

function applyPatches(rf: ReturnType<typeof useReactFlow<FlowNode, FlowEdge>>, patches: Map<string, Partial<FlowNode['data']>>) {
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
