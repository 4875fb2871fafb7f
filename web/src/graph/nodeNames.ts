/**
 * What a node is called in words: the component line a card shows, and the
 * accessible name a screen reader announces when the node takes focus.
 * Pure; unit-tested in test/unit/web-nodeNames.test.ts.
 */
import type { GraphNode } from '../state/executionEvents';
import type { TurnSummaryData } from './flowModel';
import { NODE_TYPE_NAMES, STATUS_NAMES, formatDuration } from './nodeVisuals';

/** "component@version" for a node a component ran in; null for the others (their version is the spec's default, "latest"). */
export function componentLine(component: string | null, version: string): string | null {
  return component ? `${component}@${version}` : null;
}

export const turnTitle = (data: Pick<TurnSummaryData, 'kind' | 'index'>) =>
  data.kind === 'replay' ? 'Replay' : `Turn ${data.index}`;

/** e.g. "Run calculator: tool calculator@abc12345, succeeded, 12 ms". */
export function execNodeName(node: GraphNode): string {
  const what = [NODE_TYPE_NAMES[node.type].toLowerCase(), componentLine(node.component, node.version)].filter(Boolean).join(' ');
  const finished = node.status === 'success' || node.status === 'error';
  const duration = finished && node.duration_ms !== null ? `, ${formatDuration(node.duration_ms)}` : '';
  return `${node.label}: ${what}, ${STATUS_NAMES[node.status].toLowerCase()}${duration}`;
}

/** e.g. "Turn 2, collapsed, completed, 6 nodes". */
export function turnGroupName(data: TurnSummaryData): string {
  return `${turnTitle(data)}, collapsed, ${data.phase}, ${data.stats.total} ${data.stats.total === 1 ? 'node' : 'nodes'}`;
}
