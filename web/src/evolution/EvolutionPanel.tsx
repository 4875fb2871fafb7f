/**
 * The evolution graph: every component's version lineage (React Flow, dagre
 * layout), live. New versions or parent links re-lay out the canvas; a
 * version's figures or fate changing patches that node with updateNodeData
 * (useLineageFlow). Click selects a version (details drawer); Shift/Ctrl-click
 * a second one to compare them in the diff viewer (useVersionClick,
 * CompareBar). The system-wide timeline sits below.
 */
import { useMemo, useRef, useState } from 'react';
import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { createGroupLayoutCache } from '../graph/graphLayout';
import { useNavigation } from '../layout/navigation';
import { useElementSize } from '../layout/useElementSize';
import { useMetaEvents } from '../state/useMetaStream';
import { CompareBar } from './CompareBar';
import { NARROW_CANVAS_PX } from './drawerSheet';
import { EvolutionTimeline } from './EvolutionTimeline';
import { EvolutionToolbar } from './EvolutionToolbar';
import { buildLineageModel, type LineageFlowEdge, type LineageFlowNode, type VersionNodeData } from './lineageModel';
import { useComponents, useExperiments } from './useEvolutionData';
import { useLineageFlow } from './useLineageFlow';
import { useVersionClick } from './useVersionClick';
import { useVersionFocus } from './useVersionFocus';
import { VersionDetails } from './VersionDetails';
import { lineageNodeTypes } from './VersionNodes';
import '../graph/graph.css';
import './evolution.css';

const LINEAGE_LAYOUT = { nodeSep: 28, rankSep: 34, groupGap: 28, groupHeader: 34, groupPadding: 14, minGroupWidth: 260 };

export function EvolutionPanel() {
  return (
    <ReactFlowProvider>
      <EvolutionCanvas />
    </ReactFlowProvider>
  );
}

function EvolutionCanvas() {
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
  const flow = useLineageFlow(model, selected);
  useVersionFocus({ nodes: model?.nodes, canvasRef, select: setSelected, revealAfterFit: flow.revealAfterFit });
  const onNodeClick = useVersionClick(canvasRef, setSelected);

  const byId = useMemo(() => new Map((model?.nodes ?? []).map((n) => [n.id, n])), [model]);
  const selectedData = selected
    .map((id) => byId.get(id)?.data as VersionNodeData | undefined)
    .filter((d): d is VersionNodeData => Boolean(d));
  const focused = selectedData[selectedData.length - 1] ?? null;
  const focusedComponent = focused ? (components?.find((c) => c.name === focused.component) ?? null) : null;
  const focusedVersion = focused ? (focusedComponent?.versions.find((v) => v.version === focused.version) ?? null) : null;

  return (
    <div className="viz evolution" data-testid="evolution-panel">
      <EvolutionToolbar components={components} showTimeline={showTimeline} onToggleTimeline={() => setShowTimeline((s) => !s)} />
      {selectedData.length === 2 ? (
        <CompareBar pair={selectedData} components={components} onKeepOnly={(id) => setSelected([id])} />
      ) : null}
      <div className="viz-canvas" data-testid="evolution-canvas" ref={canvasRef}>
        <ReactFlow<LineageFlowNode, LineageFlowEdge>
          defaultNodes={[]}
          defaultEdges={[]}
          nodeTypes={lineageNodeTypes}
          onInit={flow.onInit}
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
            placement={canvasWidth < NARROW_CANVAS_PX ? 'bottom' : 'side'}
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
