/**
 * The execution graph of one session inside its React Flow store: the toolbar, the canvas and the
 * node details drawer. The parts each have a hook of their own: useFlowModel (structure and
 * collapsing), useFlowSync (what React Flow is given), useViewport (the camera), useFocusRequest
 * (showing nodes on request), useTurnActions (what turn nodes may ask) and useNodeMoves (saving
 * where a person drops a node).
 */
import { useCallback, useMemo, useRef, useState, type SyntheticEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type AriaLabelConfig,
  type NodeMouseHandler,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { ChatMessage } from '../../../domain/chat';
import type { ServerInfo } from '../../../domain/serverInfo';
import type { ExecutionStream } from '../state/useExecutionStream';
import { turnPhase } from '../state/executionEvents';
import { useElementSize } from '../layout/useElementSize';
import { nodeTypes } from './ExecNodes';
import { GraphActionsContext } from './GraphActions';
import { GraphToolbar } from './GraphToolbar';
import type { FlowEdge, FlowNode } from './flowModel';
import { NodeDetails } from './NodeDetails';
import { minimapColor } from './nodeVisuals';
import { useFlowModel } from './useFlowModel';
import { useFlowSync } from './useFlowSync';
import { useFocusRequest, type FocusRequest } from './useFocusRequest';
import { useNodeKeyboard } from './useNodeKeyboard';
import { useNodeMoves } from './useNodeMoves';
import { useTurnActions } from './useTurnActions';
import { drawerLayout, useViewport } from './useViewport';
import './graph.css';

export interface GraphPanelProps {
  sessionId: string | null;
  exec: ExecutionStream;
  messages: ChatMessage[];
  highlightedNodeIds: ReadonlySet<string>;
  focus: FocusRequest | null;
  selectedNodeId: string | null;
  serverInfo: ServerInfo | null;
  onSelectNode(id: string | null): void;
  onShowMessage(id: string): void;
  /** Show these nodes (the drawer's "reveal" of a related node). */
  onRevealNodes(nodeIds: string[]): void;
}

/** Read out with every focused node; React Flow shows one key or the other depending on disableKeyboardA11y. */
const NODE_KEYBOARD_HELP: Partial<AriaLabelConfig> = {
  'node.a11yDescription.default': 'Press Enter to open its details, Escape to close them.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter to open its details, Escape to close them.',
};
const INITIAL_CANVAS = { width: 800, height: 600 };

export function GraphCanvas({
  sessionId,
  exec,
  messages,
  highlightedNodeIds,
  focus,
  selectedNodeId,
  serverInfo,
  onSelectNode,
  onShowMessage,
  onRevealNodes,
}: GraphPanelProps) {
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const { state } = exec;
  const canvasRef = useRef<HTMLDivElement>(null);
  const canvas = useElementSize(canvasRef, INITIAL_CANVAS);
  const selectedSummary = selectedNodeId ? (state.nodes.get(selectedNodeId) ?? null) : null;
  const drawer = drawerLayout(canvas, selectedSummary !== null);

  const { model, autoCollapsing, setTurnsCollapsed, toggleCollapseAll } = useFlowModel(state);
  const [ready, setReady] = useState(false);
  useFlowSync({ model, state, highlighted: highlightedNodeIds, selectedNodeId, ready });
  const viewport = useViewport(model, state.loaded, canvas, drawer);
  const { setFollow } = viewport;
  useFocusRequest({ focus, state, model, viewport, setTurnsCollapsed });
  const actions = useTurnActions(model, viewport, setTurnsCollapsed);
  const { onNodesChange, moveError } = useNodeMoves(sessionId, model);

  /** What a click, or Enter on a focused node, does: a collapsed turn expands, any other node shows its details. */
  const activateNode = useCallback(
    (id: string) => {
      const node = rf.getNode(id);
      if (node?.type === 'turnGroup') actions.expandTurn(node.data.turnId);
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
  const fitAll = useCallback(() => {
    setFollow(false);
    void rf.fitView({ padding: 0.1, duration: 300 });
  }, [rf, setFollow]);
  const toggleFollow = useCallback(() => setFollow((f) => !f), [setFollow]);

  const linkedMessages = useMemo(() => {
    if (!selectedSummary) return [];
    const ids = new Set(selectedSummary.chat_message_ids);
    return messages.filter((m) => ids.has(m.id) || m.node_ids.includes(selectedSummary.id));
  }, [messages, selectedSummary]);
  let runningTurns = 0;
  for (const turnId of model.turnRects.keys())
    if (turnPhase(state.turns.get(turnId)!, state.nodes) === 'running') runningTurns += 1;

  return (
    <GraphActionsContext.Provider value={actions}>
      <div className="viz">
        <GraphToolbar
          model={model}
          nodeCount={state.nodes.size}
          runningTurns={runningTurns}
          follow={viewport.follow}
          autoCollapsing={autoCollapsing}
          onZoomToTurn={actions.zoomToTurn}
          onFit={fitAll}
          onToggleFollow={toggleFollow}
          onToggleCollapseAll={toggleCollapseAll}
        />
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
            onNodesChange={onNodesChange}
            onPaneClick={closeDetails}
            onMoveStart={(event) => {
              if (event) setFollow(false);
            }}
            onlyRenderVisibleElements
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
            {state.nodes.size > 0 ? (
              <MiniMap<FlowNode>
                pannable
                zoomable
                ariaLabel="Graph overview"
                nodeColor={minimapColor}
                nodeStrokeWidth={0}
                maskColor="rgba(8, 11, 18, 0.72)"
                style={{ width: 132, height: 88 }}
              />
            ) : null}
            <Controls showInteractive={false} position="bottom-left" />
          </ReactFlow>
          {state.loaded && state.nodes.size === 0 ? (
            <div className="viz-empty">
              <div className="viz-empty-title">No runs yet</div>
              <div>Send a message: each step of the run appears here as it happens.</div>
            </div>
          ) : null}
          {!sessionId ? (
            <div className="viz-empty">
              <div className="viz-empty-title">No session open</div>
            </div>
          ) : null}
          {exec.error || moveError ? (
            <div className="viz-error" role="status">
              {exec.error ? `Graph stream: ${exec.error}` : `The node's new place was not saved: ${moveError}`}
            </div>
          ) : null}
          {selectedSummary && sessionId ? (
            <NodeDetails
              key={selectedSummary.id}
              placement={drawer.placement}
              sessionId={sessionId}
              summary={selectedSummary}
              edges={state.edges}
              nodes={state.nodes}
              linkedMessages={linkedMessages}
              serverInfo={serverInfo}
              onClose={closeDetails}
              onSelectNode={onSelectNode}
              onShowMessage={onShowMessage}
              onRevealNode={(id) => onRevealNodes([id, selectedSummary.id])}
            />
          ) : null}
        </div>
      </div>
    </GraphActionsContext.Provider>
  );
}
