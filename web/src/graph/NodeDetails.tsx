/** The drawer beside the graph: one node's inputs, outputs, timings, links and Replay. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ChatMessage } from '../../../domain/chat';
import type { ExecutionEdge } from '../../../domain/execution';
import { REPLAYABLE_NODE_TYPES } from '../../../domain/workflowContracts';
import type { ServerInfo } from '../../../domain/serverInfo';
import { NODE_QUERY, REPLAY_NODE, type NodeResult, type ReplayNodeResult } from '../api/documents';
import { JsonView } from '../components/JsonView';
import type { GraphNode } from '../state/executionEvents';
import { NodeTraceIds } from './NodeTraceIds';
import { NODE_TYPE_ACCENTS, NODE_TYPE_NAMES, NodeTypeIcon, STATUS_NAMES, formatDuration } from './nodeVisuals';

interface Props {
  placement: 'side' | 'bottom';
  sessionId: string;
  summary: GraphNode;
  edges: ReadonlyMap<string, ExecutionEdge>;
  nodes: ReadonlyMap<string, GraphNode>;
  linkedMessages: ChatMessage[];
  serverInfo: ServerInfo | null;
  onClose(): void;
  onSelectNode(id: string): void;
  onShowMessage(id: string): void;
  /** Bring a node into view without changing the selection (the replay this drawer started). */
  onRevealNode(id: string): void;
}

function temporalRunUrl(info: ServerInfo, workflowId: string): string {
  const base = info.temporal_ui_url.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(info.namespace || 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}

function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function NodeDetails({
  placement,
  sessionId,
  summary,
  edges,
  nodes,
  linkedMessages,
  serverInfo,
  onClose,
  onSelectNode,
  onShowMessage,
  onRevealNode,
}: Props) {
  const [{ data, fetching, error }, refetch] = useQuery<NodeResult>({
    query: NODE_QUERY,
    variables: { session_id: sessionId, node_id: summary.id },
  });
  // Outputs arrive when the node finishes: fetch again on every status change.
  useEffect(() => {
    refetch({ requestPolicy: 'network-only' });
  }, [summary.status, summary.ended_at, refetch]);
  const [replayState, replay] = useMutation<ReplayNodeResult>(REPLAY_NODE);
  const [replayStartedAt, setReplayStartedAt] = useState<number | null>(null);

  const detail = data?.node ?? null;
  const replays = useMemo(
    () =>
      [...edges.values()]
        .filter((e) => e.kind === 'replay' && e.source_node_id === summary.id)
        .map((e) => nodes.get(e.target_node_id))
        .filter((n): n is GraphNode => Boolean(n)),
    [edges, nodes, summary.id],
  );
  // The node a replay started here produces is shown as soon as it appears.
  const replaysBefore = useRef<number | null>(null);
  useEffect(() => {
    if (replayStartedAt === null) return;
    if (replaysBefore.current === null) {
      replaysBefore.current = replays.length;
      return;
    }
    if (replays.length > replaysBefore.current) {
      replaysBefore.current = replays.length;
      onRevealNode(replays[replays.length - 1]!.id);
    }
  }, [replays, replayStartedAt, onRevealNode]);
  const replayOf = useMemo(() => {
    const edge = [...edges.values()].find((e) => e.kind === 'replay' && e.target_node_id === summary.id);
    return edge ? (nodes.get(edge.source_node_id) ?? null) : null;
  }, [edges, nodes, summary.id]);
  const parent = summary.parent_node_id ? (nodes.get(summary.parent_node_id) ?? null) : null;
  const replayable = (REPLAYABLE_NODE_TYPES as readonly string[]).includes(summary.type);

  return (
    <div
      className={`node-drawer placement-${placement}`}
      role="dialog"
      aria-label={`Node ${summary.label}`}
      data-testid="node-details"
      data-node-id={summary.id}
      // Focusable, so a node opened from the keyboard can hand focus to its details (useNodeKeyboard).
      tabIndex={-1}
    >
      <header className="node-drawer-head" style={{ ['--accent' as string]: NODE_TYPE_ACCENTS[summary.type] }}>
        <span className="node-drawer-icon">
          <NodeTypeIcon type={summary.type} size={18} />
        </span>
        <div className="node-drawer-title">
          <h2>{summary.label}</h2>
          <div className="node-drawer-sub">
            {NODE_TYPE_NAMES[summary.type]}
            <span className={`status-pill status-${summary.status}`}>{STATUS_NAMES[summary.status]}</span>
          </div>
        </div>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>

      <div className="node-drawer-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={!replayable || replayState.fetching || summary.status === 'executing' || summary.status === 'pending'}
          title={
            replayable
              ? 'Run this node again with its recorded input'
              : `${NODE_TYPE_NAMES[summary.type]} nodes cannot be replayed (replayable: ${REPLAYABLE_NODE_TYPES.join(', ')})`
          }
          onClick={async () => {
            replaysBefore.current = replays.length;
            setReplayStartedAt(Date.now());
            await replay({ session_id: sessionId, node_id: summary.id });
          }}
        >
          {replayState.fetching ? 'Starting…' : '↻ Replay'}
        </button>
        {serverInfo ? (
          <a className="btn" href={temporalRunUrl(serverInfo, summary.workflow_id)} target="_blank" rel="noreferrer noopener">
            Open in Temporal ↗
          </a>
        ) : null}
      </div>
      {replayState.error ? (
        <div className="inline-error">
          Replay failed: {replayState.error.graphQLErrors[0]?.message ?? replayState.error.message}
        </div>
      ) : null}
      {replayState.data && replayStartedAt ? (
        <div className="inline-note">
          Replay started
          {serverInfo ? (
            <>
              {' '}
              (
              <a
                href={temporalRunUrl(serverInfo, replayState.data.replay_node.workflow_id)}
                target="_blank"
                rel="noreferrer noopener"
              >
                its run in Temporal ↗
              </a>
              )
            </>
          ) : null}
          {replays.length === 0 ? ' — its node will appear linked to this one.' : '; its node is linked below.'}
        </div>
      ) : null}

      <div className="node-drawer-scroll">
        {summary.error ? (
          <section className="drawer-section">
            <h3>Error</h3>
            <div className="error-box">{summary.error}</div>
          </section>
        ) : null}

        <section className="drawer-section">
          <h3>Run</h3>
          <dl className="kv">
            <dt>Started</dt>
            <dd>{formatTime(summary.started_at)}</dd>
            <dt>Ended</dt>
            <dd>{formatTime(summary.ended_at)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(summary.duration_ms)}</dd>
            <dt>Component</dt>
            <dd>{summary.component ?? '—'}</dd>
            <dt>Version</dt>
            <dd>{summary.component ? <code>{summary.version}</code> : '—'}</dd>
            <dt>Workflow</dt>
            <dd className="mono-wrap">{summary.workflow_id}</dd>
            <dt>Node id</dt>
            <dd className="mono-wrap">{summary.id}</dd>
            <NodeTraceIds traceId={summary.trace_id} spanId={summary.span_id} serverInfo={serverInfo} />
          </dl>
        </section>

        {parent || replayOf || replays.length > 0 ? (
          <section className="drawer-section">
            <h3>Related nodes</h3>
            <ul className="link-list">
              {parent ? (
                <li>
                  parent:{' '}
                  <button type="button" className="link-btn" onClick={() => onSelectNode(parent.id)}>
                    {parent.label}
                  </button>
                </li>
              ) : null}
              {replayOf ? (
                <li>
                  replay of:{' '}
                  <button type="button" className="link-btn" onClick={() => onSelectNode(replayOf.id)}>
                    {replayOf.label}
                  </button>
                </li>
              ) : null}
              {replays.map((r) => (
                <li key={r.id}>
                  replay:{' '}
                  <button type="button" className="link-btn" onClick={() => onSelectNode(r.id)} data-testid="replay-link">
                    {r.label}
                  </button>
                  <span className={`status-pill status-${r.status}`}>{STATUS_NAMES[r.status]}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <section className="drawer-section">
          <h3>Linked messages</h3>
          {linkedMessages.length === 0 ? (
            <div className="muted">No chat message is linked to this node.</div>
          ) : (
            <ul className="link-list">
              {linkedMessages.map((m) => (
                <li key={m.id}>
                  <button type="button" className="link-btn" onClick={() => onShowMessage(m.id)}>
                    {m.role}: {m.content.slice(0, 60) || '(empty)'}
                    {m.content.length > 60 ? '…' : ''}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="drawer-section">
          <h3>Input and output</h3>
          {error ? <div className="inline-error">Could not load details: {error.message}</div> : null}
          {fetching && !detail ? <div className="muted">Loading…</div> : null}
          {detail ? (
            <>
              <JsonView label="Input" value={detail.input} />
              <JsonView label="Output" value={detail.output} />
            </>
          ) : null}
        </section>
      </div>
    </div>
  );
}
