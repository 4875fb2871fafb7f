/** Icons, names and accent colours for each node type (shared by graph, drawer and chat chips). */
import type { ReactElement } from 'react';
import type { NodeStatus, NodeType } from '../../../domain/enums';

const stroke = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.7,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

const paths: Record<NodeType, ReactElement> = {
  user_input: (
    <g {...stroke}>
      <circle cx="12" cy="8" r="3.5" />
      <path d="M5 20c.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5" />
    </g>
  ),
  model_selector: (
    <g {...stroke}>
      <rect x="6" y="6" width="12" height="12" rx="2" />
      <path d="M9 2.5v3.5M15 2.5v3.5M9 18v3.5M15 18v3.5M2.5 9h3.5M2.5 15h3.5M18 9h3.5M18 15h3.5" />
      <rect x="9.5" y="9.5" width="5" height="5" rx=".6" />
    </g>
  ),
  agent: (
    <g {...stroke}>
      <path d="M12 3l1.9 4.6L18.5 9.5l-4.6 1.9L12 16l-1.9-4.6L5.5 9.5l4.6-1.9z" />
      <path d="M18.5 15.5l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z" />
    </g>
  ),
  tool: (
    <g {...stroke}>
      <path d="M14.7 6.3a4 4 0 0 0-5.4 5.1L3.5 17.2a1.6 1.6 0 0 0 2.3 2.3l5.8-5.8a4 4 0 0 0 5.1-5.4l-2.5 2.5-2.2-.3-.3-2.2z" />
    </g>
  ),
  memory: (
    <g {...stroke}>
      <path d="M9 4.5a3 3 0 0 0-3 3 3 3 0 0 0-1.5 5.3A3 3 0 0 0 7.5 18 2.8 2.8 0 0 0 12 19.5V5.5A2.8 2.8 0 0 0 9 4.5z" />
      <path d="M15 4.5a3 3 0 0 1 3 3 3 3 0 0 1 1.5 5.3A3 3 0 0 1 16.5 18 2.8 2.8 0 0 1 12 19.5" />
    </g>
  ),
  rag: (
    <g {...stroke}>
      <path d="M4 5.5A1.5 1.5 0 0 1 5.5 4H11v15H5.5A1.5 1.5 0 0 1 4 17.5z" />
      <path d="M11 4h4.5A1.5 1.5 0 0 1 17 5.5V9" />
      <circle cx="16.5" cy="14.5" r="3" />
      <path d="M18.7 16.7L21 19" />
    </g>
  ),
  database: (
    <g {...stroke}>
      <ellipse cx="12" cy="6" rx="7" ry="2.8" />
      <path d="M5 6v12c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8V6M5 12c0 1.5 3.1 2.8 7 2.8s7-1.3 7-2.8" />
    </g>
  ),
  test: (
    <g {...stroke}>
      <path d="M9.5 3h5M10.5 3v6L5.2 18.3A1.8 1.8 0 0 0 6.8 21h10.4a1.8 1.8 0 0 0 1.6-2.7L13.5 9V3" />
      <path d="M7.5 15h9" />
    </g>
  ),
  plan: (
    <g {...stroke}>
      <path d="M9 6h11M9 12h11M9 18h11" />
      <path d="M3.5 6l1.2 1.2L7 4.8M3.5 12l1.2 1.2L7 10.8" />
      <circle cx="5" cy="18" r="1.2" />
    </g>
  ),
  decision: (
    <g {...stroke}>
      <path d="M12 2.8l9.2 9.2-9.2 9.2L2.8 12z" />
      <path d="M9.8 9.8a2.3 2.3 0 1 1 3 2.2c-.6.2-.8.7-.8 1.2v.3" />
      <path d="M12 16.2v.1" />
    </g>
  ),
  response: (
    <g {...stroke}>
      <path d="M4 5.5A1.5 1.5 0 0 1 5.5 4h13A1.5 1.5 0 0 1 20 5.5v9a1.5 1.5 0 0 1-1.5 1.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5z" />
      <path d="M8 8.5h8M8 11.5h5" />
    </g>
  ),
  error: (
    <g {...stroke}>
      <path d="M10.3 4.2L2.7 17.5A2 2 0 0 0 4.4 20.5h15.2a2 2 0 0 0 1.7-3L13.7 4.2a2 2 0 0 0-3.4 0z" />
      <path d="M12 9.5v4M12 17v.1" />
    </g>
  ),
  learning: (
    <g {...stroke}>
      <path d="M2.5 9L12 4.5 21.5 9 12 13.5z" />
      <path d="M6.5 11v4.5c1.4 1.4 3.4 2 5.5 2s4.1-.6 5.5-2V11M21.5 9v5" />
    </g>
  ),
};

export function NodeTypeIcon({ type, size = 16 }: { type: NodeType; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {paths[type] ?? paths.agent}
    </svg>
  );
}

export const NODE_TYPE_NAMES: Record<NodeType, string> = {
  user_input: 'User input',
  model_selector: 'Model selector',
  agent: 'Agent',
  tool: 'Tool',
  memory: 'Memory',
  rag: 'Retrieval',
  database: 'Database',
  test: 'Test',
  plan: 'Plan',
  decision: 'Decision',
  response: 'Response',
  error: 'Error',
  learning: 'Learning',
};

/** Accent per type; the node's left stripe and icon use it. */
export const NODE_TYPE_ACCENTS: Record<NodeType, string> = {
  user_input: '#7c9cff',
  model_selector: '#b892ff',
  agent: '#4fd6a4',
  tool: '#f5b450',
  memory: '#f58fb4',
  rag: '#5cc9e6',
  database: '#8fb4d9',
  test: '#b8e07a',
  plan: '#86a8ff',
  decision: '#f7906c',
  response: '#46cfc4',
  error: '#ff6b6b',
  learning: '#e6c65c',
};

export const STATUS_NAMES: Record<NodeStatus, string> = {
  pending: 'Pending',
  executing: 'Running',
  success: 'Succeeded',
  error: 'Failed',
};

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
}

const STATUS_COLORS: Record<NodeStatus, string> = {
  pending: '#5b6475',
  executing: '#7c9cff',
  success: '#3ecf8e',
  error: '#ff5c5c',
};

/** A node's colour in the minimap: its type's accent once it succeeded, else its status. */
export function minimapColor(node: { type?: string; data: unknown }): string {
  if (node.type === 'turnFrame') return 'rgba(124, 156, 255, 0.06)';
  if (node.type === 'turnGroup') return '#3a4560';
  const summary = (node.data as { node?: { status: NodeStatus; type: NodeType } }).node;
  if (!summary) return '#3a4560';
  return summary.status === 'success' ? NODE_TYPE_ACCENTS[summary.type] : STATUS_COLORS[summary.status];
}
