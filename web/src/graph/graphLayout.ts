/**
 * Layered layout for the execution graph, as a pure function.
 *
 * Each turn (or any other group) is laid out on its own with dagre, top to
 * bottom, and groups are stacked vertically in the given order, so a new turn
 * never moves the turns above it and the result reads like the chat beside it.
 * Edges between groups (a replay of an earlier node) are drawn but do not
 * shape the layout. Unit-tested in test/unit/web-graphLayout.test.ts.
 */
import dagre from '@dagrejs/dagre';

export interface LayoutItem {
  id: string;
  group: string;
  width: number;
  height: number;
}
export interface LayoutLink {
  id: string;
  source: string;
  target: string;
}
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface GraphLayout {
  /** Top-left corner of every item. */
  positions: Map<string, { x: number; y: number }>;
  /** Bounding frame of every group, header included. */
  groups: Map<string, Rect>;
}
export interface LayoutOptions {
  nodeSep: number;
  rankSep: number;
  /** Vertical gap between stacked groups. */
  groupGap: number;
  /** Room above each group's items for its header. */
  groupHeader: number;
  groupPadding: number;
  /** Frames are at least this wide, so a one-node turn still has room for its header. */
  minGroupWidth: number;
}

export const DEFAULT_LAYOUT_OPTIONS: LayoutOptions = {
  nodeSep: 28,
  rankSep: 34,
  groupGap: 28,
  groupHeader: 30,
  groupPadding: 14,
  minGroupWidth: 300,
};

interface GroupLayout {
  /** Item positions relative to the group's content box. */
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/** Lays out one group's items; deterministic for the same input. */
export function layoutGroup(
  items: readonly LayoutItem[],
  links: readonly LayoutLink[],
  options: LayoutOptions = DEFAULT_LAYOUT_OPTIONS,
): GroupLayout {
  const positions = new Map<string, { x: number; y: number }>();
  if (items.length === 0) return { positions, width: 0, height: 0 };
  if (items.length === 1) {
    const only = items[0]!;
    positions.set(only.id, { x: 0, y: 0 });
    return { positions, width: only.width, height: only.height };
  }
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: options.nodeSep, ranksep: options.rankSep, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const item of items) g.setNode(item.id, { width: item.width, height: item.height });
  for (const link of links) {
    if (link.source !== link.target && g.hasNode(link.source) && g.hasNode(link.target))
      g.setEdge(link.source, link.target, {}, link.id);
  }
  dagre.layout(g);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const n = g.node(item.id);
    const x = n.x - item.width / 2;
    const y = n.y - item.height / 2;
    positions.set(item.id, { x, y });
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + item.width);
    maxY = Math.max(maxY, y + item.height);
  }
  for (const [id, p] of positions) positions.set(id, { x: p.x - minX, y: p.y - minY });
  return { positions, width: maxX - minX, height: maxY - minY };
}

/**
 * Lays out all groups. `groupOrder` fixes the stacking order; groups not
 * listed follow in order of first appearance. `reuse` may return a cached
 * group layout (same items and links ⇒ same result), which keeps a 5,000-node
 * session from re-running dagre on turns that did not change.
 */
export function layoutGraph(
  items: readonly LayoutItem[],
  links: readonly LayoutLink[],
  groupOrder: readonly string[] = [],
  options: LayoutOptions = DEFAULT_LAYOUT_OPTIONS,
  reuse?: (group: string, items: readonly LayoutItem[], links: readonly LayoutLink[]) => GroupLayout,
): GraphLayout {
  const byGroup = new Map<string, LayoutItem[]>();
  for (const g of groupOrder) byGroup.set(g, []);
  const groupOf = new Map<string, string>();
  for (const item of items) {
    groupOf.set(item.id, item.group);
    let list = byGroup.get(item.group);
    if (!list) byGroup.set(item.group, (list = []));
    list.push(item);
  }
  const linksByGroup = new Map<string, LayoutLink[]>();
  for (const link of links) {
    const group = groupOf.get(link.source);
    if (group === undefined || group !== groupOf.get(link.target)) continue;
    let list = linksByGroup.get(group);
    if (!list) linksByGroup.set(group, (list = []));
    list.push(link);
  }

  const positions = new Map<string, { x: number; y: number }>();
  const groups = new Map<string, Rect>();
  let y = 0;
  for (const [group, groupItems] of byGroup) {
    if (groupItems.length === 0) continue;
    const groupLinks = linksByGroup.get(group) ?? [];
    const laid = reuse ? reuse(group, groupItems, groupLinks) : layoutGroup(groupItems, groupLinks, options);
    const width = Math.max(laid.width + options.groupPadding * 2, options.minGroupWidth);
    const frame: Rect = {
      x: -width / 2,
      y,
      width,
      height: laid.height + options.groupHeader + options.groupPadding * 2,
    };
    for (const [id, p] of laid.positions) {
      positions.set(id, {
        x: frame.x + (width - laid.width) / 2 + p.x,
        y: frame.y + options.groupHeader + options.groupPadding + p.y,
      });
    }
    groups.set(group, frame);
    y += frame.height + options.groupGap;
  }
  return { positions, groups };
}

/**
 * Remembers each group's layout by the ids and sizes it was computed from, so
 * only groups whose structure changed are laid out again.
 */
export function createGroupLayoutCache(options: LayoutOptions = DEFAULT_LAYOUT_OPTIONS) {
  const cache = new Map<string, { key: string; layout: GroupLayout }>();
  return (group: string, items: readonly LayoutItem[], links: readonly LayoutLink[]): GroupLayout => {
    const key =
      items.map((i) => `${i.id}:${i.width}x${i.height}`).join('|') + '#' + links.map((l) => `${l.source}>${l.target}`).join('|');
    const hit = cache.get(group);
    if (hit && hit.key === key) return hit.layout;
    const layout = layoutGroup(items, links, options);
    cache.set(group, { key, layout });
    return layout;
  };
}
