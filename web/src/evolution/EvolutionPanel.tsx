/**
 * The evolution graph: every component's version lineage (React Flow, dagre
 * layout), live. New versions or parent links re-lay out the canvas; a
 * version's figures or fate changing patches that node with updateNodeData.
 * Click selects a version (details drawer); Shift/Ctrl-click a second one to
 * compare them in the diff viewer. The system-wide timeline sits below.
 */
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type NodeMouseHandler,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { createGroupLayoutCache } from '../graph/graphLayout';
import { useNavigation } from '../layout/navigation';
import { useMetaEvents } from '../state/useMetaStream';
import {
  buildLineageModel,
  changedNodeData,
  type LineageFlowEdge,
  type LineageFlowNode,
  type VersionNodeData,
} from './lineageModel';
import { EvolutionTimeline } from './EvolutionTimeline';
import { useComponents, useExperiments } from './useEvolutionData';
import { VersionDetails } from './VersionDetails';
import { lineageNodeTypes } from './VersionNodes';
import { useElementSize } from '../layout/useElementSize';
import { useOnChange } from '../state/useOnChange';
import '../graph/graph.css';
import './evolution.css';

/** Height share of the canvas the details drawer takes as a bottom sheet (evolution.css .node-drawer.placement-bottom). */
const DRAWER_SHARE = 0.56;
const LINEAGE_LAYOUT = { nodeSep: 28, rankSep: 34, groupGap: 28, groupHeader: 34, groupPadding: 14, minGroupWidth: 260 };

export function EvolutionPanel() {
  return (
    <ReactFlowProvider>
      <EvolutionCanvas />
    </ReactFlowProvider>
  );
}

function EvolutionCanvas() {
  const rf = useReactFlow<LineageFlowNode, LineageFlowEdge>();
  const nav = useNavigation();
  const { components, error } = useComponents();
  const { experiments } = useExperiments();
  const { state: meta } = useMetaEvents();
  const [layoutCache] = useState(() => createGroupLayoutCache(LINEAGE_LAYOUT));
  const model = useMemo(
    () => (components ? buildLineageModel(components, experiments ?? [], meta.events, layoutCache) : null),
    [components, experiments, meta.events, layoutCache],
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [showTimeline, setShowTimeline] = useState(true);
  // Narrow canvases get the drawer as a bottom sheet, as in the execution graph.
  const canvasRef = useRef<HTMLDivElement>(null);
  const canvasWidth = useElementSize(canvasRef, { width: 800, height: 600 }).width;
  const applied = useRef<{ key: string; nodes: LineageFlowNode[] } | null>(null);
  const [ready, setReady] = useState(false);
  const pendingFit = useRef(false);
  const pendingReveal = useRef<(() => void) | null>(null);
  const [structureSerial, setStructureSerial] = useState(0);
  const nodesInitialized = useNodesInitialized();

  // Structure → replace nodes and edges (and fit); data → patch the nodes that changed.
  // Only once React Flow is initialised: its store applies defaultNodes on mount, which would
  // wipe nodes set earlier (a remount whose data is already cached).
  const replaceStructure = useEffectEvent((next: NonNullable<typeof model>) => {
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

  // "Show this version" from elsewhere (the sandbox, a prediction, the timeline): selected as soon as
  // its node exists, then brought into view.
  const focusRequest = nav.focusVersion;
  const focusNode = focusRequest
    ? model?.nodes.find((n) => n.id === `${focusRequest.component}@${focusRequest.version}`)
    : undefined;
  useOnChange(focusNode && focusRequest ? `${focusRequest.serial}:${focusNode.id}` : null, (key) => {
    if (key && focusNode) setSelected([focusNode.id]);
  });
  const { versionShown } = nav;
  useEffect(() => {
    if (!focusRequest || !focusNode) return;
    const node = focusNode;
    // With the drawer as a bottom sheet, centre the version in the part of the canvas left above it.
    const el = canvasRef.current;
    const below = el && el.clientWidth < 700 ? (el.clientHeight * DRAWER_SHARE) / 2 : 0;
    const reveal = () => void rf.setCenter(node.position.x + 106, node.position.y + 36 + below, { zoom: 1, duration: 300 });
    // A structure not yet fitted would fit over this: let the fit do the reveal instead.
    if (pendingFit.current) pendingReveal.current = reveal;
    else reveal();
    versionShown(focusRequest.serial);
  }, [focusRequest, focusNode, rf, versionShown]);

  /** The bottom sheet covers the lower part of the canvas: bring a clicked version above it. */
  const revealAboveDrawer = useCallback(
    (node: LineageFlowNode) => {
      const el = canvasRef.current;
      if (!el || el.clientWidth >= 700) return;
      const { x, y, zoom } = rf.getViewport();
      const visible = el.clientHeight * (1 - DRAWER_SHARE);
      const top = node.position.y * zoom + y;
      const bottom = top + 72 * zoom;
      if (top >= 8 && bottom <= visible - 8) return;
      const targetTop = visible / 2 - 36 * zoom;
      void rf.setViewport({ x, y: y + (targetTop - top), zoom }, { duration: 200 });
    },
    [rf],
  );

  const onNodeClick: NodeMouseHandler<LineageFlowNode> = useCallback(
    (event, node) => {
      if (node.type !== 'version') return;
      revealAboveDrawer(node);
      const adding = event.shiftKey || event.ctrlKey || event.metaKey;
      setSelected((s) => {
        if (!adding) return [node.id];
        if (s.includes(node.id)) return s.filter((x) => x !== node.id);
        const sameComponent = s.filter((x) => x.split('@')[0] === node.id.split('@')[0]);
        return [...sameComponent, node.id].slice(-2);
      });
    },
    [revealAboveDrawer],
  );

  const byId = useMemo(() => new Map((model?.nodes ?? []).map((n) => [n.id, n])), [model]);
  const selectedData = selected
    .map((id) => byId.get(id)?.data as VersionNodeData | undefined)
    .filter((d): d is VersionNodeData => Boolean(d));
  const focused = selectedData[selectedData.length - 1] ?? null;
  const focusedComponent = focused ? (components?.find((c) => c.name === focused.component) ?? null) : null;
  const focusedVersion = focused ? (focusedComponent?.versions.find((v) => v.version === focused.version) ?? null) : null;
  const versionCount = components?.reduce((n, c) => n + c.versions.length, 0) ?? 0;
  const pair = selectedData.length === 2 ? selectedData : null;
  const ordered = pair
    ? [...pair].sort((a, b) => {
        const c = components?.find((x) => x.name === a.component);
        const ta = c?.versions.find((v) => v.version === a.version)?.created_at ?? '';
        const tb = c?.versions.find((v) => v.version === b.version)?.created_at ?? '';
        return ta.localeCompare(tb);
      })
    : null;

  return (
    <div className="viz evolution" data-testid="evolution-panel">
      <div className="panel-toolbar viz-toolbar">
        <h2 className="panel-title">Evolution</h2>
        <span className="toolbar-meta" data-testid="evolution-counts">
          {components ? `${components.length} components · ${versionCount} versions` : 'loading…'}
        </span>
        <span className="toolbar-spacer" />
        <span className="toolbar-meta hide-narrow">Shift-click two versions to compare</span>
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => void rf.fitView({ padding: 0.12, duration: 300, maxZoom: 1 })}
        >
          Fit
        </button>
        <button
          type="button"
          className={`btn btn-sm${showTimeline ? ' is-on' : ''}`}
          aria-pressed={showTimeline}
          onClick={() => setShowTimeline((s) => !s)}
        >
          Timeline
        </button>
      </div>
      {ordered ? (
        <div className="compare-bar" data-testid="compare-bar">
          <span>
            Compare <code>{ordered[0]!.version.slice(0, 8)}</code> → <code>{ordered[1]!.version.slice(0, 8)}</code> of{' '}
            {ordered[0]!.component}
          </span>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            onClick={() => nav.openDiff({ component: ordered[0]!.component, a: ordered[0]!.version, b: ordered[1]!.version })}
          >
            Open diff
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => setSelected([ordered[1]!.component + '@' + ordered[1]!.version])}
          >
            Clear
          </button>
        </div>
      ) : null}
      <div className="viz-canvas" data-testid="evolution-canvas" ref={canvasRef}>
        <ReactFlow<LineageFlowNode, LineageFlowEdge>
          defaultNodes={[]}
          defaultEdges={[]}
          nodeTypes={lineageNodeTypes}
          onInit={() => setReady(true)}
          onNodeClick={onNodeClick}
          onPaneClick={() => setSelected([])}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          elementsSelectable
          multiSelectionKeyCode={null}
          selectionKeyCode={null}
          minZoom={0.1}
          maxZoom={2}
          onlyRenderVisibleElements
          proOptions={{ hideAttribution: true }}
          colorMode="dark"
        >
          <Background variant={BackgroundVariant.Dots} gap={22} size={1} color="#263043" />
          <Controls showInteractive={false} position="bottom-left" />
        </ReactFlow>
        {components && components.length === 0 ? (
          <div className="viz-empty">
            <div className="viz-empty-title">No components yet</div>
            <div>Components appear here once the worker has read components/.</div>
          </div>
        ) : null}
        {error ? (
          <div className="viz-error inline-error" role="status">
            Components: {error}
          </div>
        ) : null}
        {focused && focusedComponent && focusedVersion ? (
          <VersionDetails
            key={`${focused.component}@${focused.version}`}
            placement={canvasWidth < 700 ? 'bottom' : 'side'}
            component={focusedComponent}
            version={focusedVersion}
            data={focused}
            experiments={experiments ?? []}
            onClose={() => setSelected([])}
          />
        ) : null}
      </div>
      {showTimeline ? (
        <EvolutionTimeline onShowVersion={(component, version) => nav.showVersion({ component, version })} />
      ) : null}
    </div>
  );
}
