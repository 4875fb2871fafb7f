/**
 * Every component's version lineage as React Flow nodes and edges: one frame
 * per component (in name order, dealt into columns), versions laid out as a tree by
 * their parents with the console's dagre layout (graph/graphLayout.ts).
 * Node data says what became of each version; `structureKey` changes only
 * when versions or parent links do, so the panel re-lays out on structure
 * and patches data otherwise. Pure; unit-tested in test/unit/web-lineageModel.test.ts.
 */
import type { Edge, Node } from '@xyflow/react';
import {
  suiteSummaryOf,
  usageOf,
  type ComponentView,
  type ExperimentSummary,
  type MetaEventView,
  type VersionView,
} from '../api/evolutionDocuments';
import { frameNode } from '../graph/frameNode';
import {
  DEFAULT_LAYOUT_OPTIONS,
  layoutGraph,
  type GraphLayout,
  type LayoutItem,
  type LayoutLink,
  type Rect,
} from '../graph/graphLayout';

const VERSION_NODE_SIZE = { width: 212, height: 72 } as const;

/** What became of a version, at a glance. */
export type VersionOutcome =
  'seed' | 'edited' | 'promoted' | 'rejected' | 'expired' | 'rolled_back' | 'not_promoted' | 'awaiting' | 'testing' | 'created';

export const OUTCOME_NAMES: Record<VersionOutcome, string> = {
  seed: 'seed',
  edited: 'edited',
  promoted: 'promoted',
  rejected: 'rejected',
  expired: 'expired',
  rolled_back: 'rolled back',
  not_promoted: 'not promoted',
  awaiting: 'awaiting approval',
  testing: 'testing',
  created: 'created',
};

export interface VersionNodeData extends Record<string, unknown> {
  component: string;
  version: string;
  createdBy: string;
  isCurrent: boolean;
  outcome: VersionOutcome;
  passRate: number | null;
  meanScore: number | null;
  latencyP50: number | null;
  /** The experiment that tested this version as its candidate (the newest one). */
  experimentId: string | null;
}
export interface ComponentFrameData extends Record<string, unknown> {
  component: string;
  type: string;
  versions: number;
  current: string;
}
export type VersionFlowNode = Node<VersionNodeData, 'version'>;
export type ComponentFrameFlowNode = Node<ComponentFrameData, 'componentFrame'>;
export type LineageFlowNode = VersionFlowNode | ComponentFrameFlowNode;
export type LineageFlowEdge = Edge;

export const versionNodeId = (component: string, version: string) => `${component}@${version}`;
const componentFrameId = (component: string) => `component:${component}`;

export interface LineageModel {
  nodes: LineageFlowNode[];
  edges: LineageFlowEdge[];
  structureKey: string;
  frames: Map<string, Rect>;
}

function creatorLabel(v: Pick<VersionView, 'created_by'>): string {
  const c = v.created_by;
  return c.detail ? `${c.kind} · ${c.detail}` : c.kind;
}

/** The last thing that happened to each version: promoted to, or rolled back from (newest event wins). */
function lastTransitions(events: readonly MetaEventView[]): Map<string, 'promoted' | 'rolled_back'> {
  const out = new Map<string, 'promoted' | 'rolled_back'>();
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'version_promoted') out.set(versionNodeId(String(d.component), String(d.version)), 'promoted');
    else if (e.type === 'version_rolled_back' && d.from_version)
      out.set(versionNodeId(String(d.component), String(d.from_version)), 'rolled_back');
  }
  return out;
}

/** The newest experiment per candidate version. */
function candidateExperiments(experiments: readonly ExperimentSummary[]): Map<string, ExperimentSummary> {
  const out = new Map<string, ExperimentSummary>();
  const sorted = [...experiments].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
  for (const e of sorted) {
    if (!e.component || !e.version_b || e.version_b === e.version_a) continue;
    out.set(versionNodeId(e.component, e.version_b), e);
  }
  return out;
}

function versionOutcome(
  v: VersionView,
  experiment: ExperimentSummary | undefined,
  transition: 'promoted' | 'rolled_back' | undefined,
): VersionOutcome {
  if (transition === 'rolled_back' || (experiment?.rolled_back && transition !== 'promoted')) return 'rolled_back';
  if (experiment) {
    if (experiment.status === 'awaiting_approval') return 'awaiting';
    if (experiment.status === 'running') return 'testing';
    const outcome = experiment.decision?.outcome;
    if (outcome === 'promoted' || transition === 'promoted') return 'promoted';
    if (outcome === 'rejected') return 'rejected';
    if (outcome === 'expired') return 'expired';
    if (outcome === 'not_promoted') return 'not_promoted';
  }
  if (transition === 'promoted') return 'promoted';
  if (v.status === 'rejected') return 'rejected';
  if (v.created_by.kind === 'seed') return 'seed';
  if (v.created_by.kind === 'file_watcher' || v.created_by.kind === 'person') return 'edited';
  return 'created';
}

function versionData(
  c: ComponentView,
  v: VersionView,
  experiments: Map<string, ExperimentSummary>,
  transitions: Map<string, 'promoted' | 'rolled_back'>,
): VersionNodeData {
  const id = versionNodeId(c.name, v.version);
  const experiment = experiments.get(id);
  return {
    component: c.name,
    version: v.version,
    createdBy: creatorLabel(v),
    isCurrent: v.version === c.current_version,
    outcome: versionOutcome(v, experiment, transitions.get(id)),
    passRate: suiteSummaryOf(v)?.pass_rate ?? null,
    meanScore: suiteSummaryOf(v)?.mean_score ?? null,
    latencyP50: suiteSummaryOf(v)?.latency_p50_ms ?? usageOf(v)?.avg_latency_ms ?? null,
    experimentId: experiment?.id ?? null,
  };
}

type GroupLayoutFn = Parameters<typeof layoutGraph>[4];

export function buildLineageModel(
  components: readonly ComponentView[],
  experiments: readonly ExperimentSummary[],
  events: readonly MetaEventView[],
  reuse?: GroupLayoutFn,
): LineageModel {
  const sorted = [...components].sort((a, b) => a.name.localeCompare(b.name));
  const byCandidate = candidateExperiments(experiments);
  const transitions = lastTransitions(events);
  const items: LayoutItem[] = [];
  const links: LayoutLink[] = [];
  const edges: LineageFlowEdge[] = [];
  const keyParts: string[] = [];
  for (const c of sorted) {
    const versions = [...c.versions].sort((a, b) => a.created_at.localeCompare(b.created_at));
    const known = new Set(versions.map((v) => v.version));
    for (const v of versions) {
      const id = versionNodeId(c.name, v.version);
      items.push({ id, group: c.name, ...VERSION_NODE_SIZE });
      keyParts.push(id);
      for (const parent of v.parents) {
        if (!known.has(parent)) continue;
        const source = versionNodeId(c.name, parent);
        const edgeId = `${source}>${v.version}`;
        links.push({ id: edgeId, source, target: id });
        edges.push({ id: edgeId, source, target: id, type: 'smoothstep', className: 'edge-lineage', focusable: false });
        keyParts.push(edgeId);
      }
    }
  }
  const stacked = layoutGraph(
    items,
    links,
    sorted.map((c) => c.name),
    { ...DEFAULT_LAYOUT_OPTIONS, groupHeader: 34, minGroupWidth: 260 },
    reuse,
  );
  const layout = packGroupsInColumns(stacked, items);
  const nodes: LineageFlowNode[] = [];
  for (const c of sorted) {
    const rect = layout.groups.get(c.name);
    if (!rect) continue;
    nodes.push(
      frameNode(componentFrameId(c.name), 'componentFrame', rect, {
        component: c.name,
        type: c.type,
        versions: c.versions.length,
        current: c.current_version,
      }),
    );
    for (const v of c.versions) {
      const id = versionNodeId(c.name, v.version);
      nodes.push({
        id,
        type: 'version',
        position: layout.positions.get(id)!,
        data: versionData(c, v, byCandidate, transitions),
        ...VERSION_NODE_SIZE,
        draggable: false,
        connectable: false,
      });
    }
  }
  return { nodes, edges, structureKey: keyParts.join('|'), frames: layout.groups };
}

const COLUMN_GAP = 28;

/**
 * layoutGraph stacks groups in one column (right for the turns of a chat); components read better
 * side by side: deal the stacked groups, in order, into ⌈√n⌉ columns (at most 3), each group
 * going to the shortest column, and move their items with them.
 */
function packGroupsInColumns(layout: GraphLayout, items: readonly LayoutItem[]): GraphLayout {
  const groups = [...layout.groups];
  const columns = Math.min(3, Math.max(1, Math.ceil(Math.sqrt(groups.length))));
  if (columns === 1) return layout;
  const width = Math.max(...groups.map(([, r]) => r.width));
  const heights = new Array<number>(columns).fill(0);
  const shifted = new Map<string, Rect>();
  const delta = new Map<string, { dx: number; dy: number }>();
  for (const [id, rect] of groups) {
    const col = heights.indexOf(Math.min(...heights));
    const x = col * (width + COLUMN_GAP) + (width - rect.width) / 2;
    const y = heights[col]!;
    shifted.set(id, { ...rect, x, y });
    delta.set(id, { dx: x - rect.x, dy: y - rect.y });
    heights[col] = y + rect.height + COLUMN_GAP;
  }
  const positions = new Map<string, { x: number; y: number }>();
  for (const item of items) {
    const p = layout.positions.get(item.id);
    const d = delta.get(item.group);
    if (p && d) positions.set(item.id, { x: p.x + d.dx, y: p.y + d.dy });
  }
  return { positions, groups: shifted };
}

/** The ids whose data differ between two models of the same structure, with the new data. */
export function changedNodeData(
  before: readonly LineageFlowNode[],
  after: readonly LineageFlowNode[],
): Map<string, LineageFlowNode['data']> {
  const old = new Map(before.map((n) => [n.id, n.data as Record<string, unknown>]));
  const out = new Map<string, LineageFlowNode['data']>();
  for (const n of after) {
    const prev = old.get(n.id);
    const next = n.data as Record<string, unknown>;
    if (!prev || Object.keys(next).some((k) => prev[k] !== next[k])) out.set(n.id, n.data);
  }
  return out;
}
