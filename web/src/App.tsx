/**
 * Root: find the access token, check it against the API, then run the
 * console (chat | execution graph | meta) on one transport.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import type { ChatMessage } from '../../domain/chat';
import { SERVER_INFO_QUERY, type ServerInfo } from './api/documents';
import { createTransport, type Transport } from './api/transport';
import { TransportContext, useStore } from './api/TransportContext';
import { forgetAccessToken } from './auth/accessToken';
import { ChatPanel } from './chat/ChatPanel';
import { useOpenTabs } from './chat/useOpenTabs';
import { useSessions } from './chat/useSessions';
import { AccessScreen } from './components/AccessScreen';
import { ConnectionBadge } from './components/ConnectionBadge';
import { GraphPanel, type FocusRequest } from './graph/GraphPanel';
import { useOnChange } from './state/useOnChange';
import { PanelLayout } from './layout/PanelLayout';
import { MetaPanel, MetaRail } from './meta/MetaPanel';
import { DiffPanel } from './diff/DiffPanel';
import { EvolutionPanel } from './evolution/EvolutionPanel';
import { pendingApprovals, useExperiments } from './evolution/useEvolutionData';
import { NavigationContext, type DiffTarget, type Navigation, type VersionRef, type VizTab } from './layout/navigation';
import { VizTabs } from './layout/VizTabs';
import { SandboxPanel } from './sandbox/SandboxPanel';
import { TrendsPanel } from './trends/TrendsPanel';
import { MetaEventsContext, useMetaStream } from './state/useMetaStream';
import { useChatStream } from './state/useChatStream';
import { useExecutionStream } from './state/useExecutionStream';
import type { ScrollRequest } from './chat/MessageList';

type Probe =
  | { kind: 'checking' }
  | { kind: 'ok'; serverInfo: ServerInfo | null }
  | { kind: 'rejected' }
  | { kind: 'unreachable'; detail: string };

const PROBE_RETRY_MS = 3000;

async function probeApi(token: string): Promise<Probe> {
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SERVER_INFO_QUERY }),
    });
    if (response.status === 401 || response.status === 403) return { kind: 'rejected' };
    if (!response.ok) return { kind: 'unreachable', detail: `HTTP ${response.status} ${response.statusText}` };
    const body = (await response.json()) as { data?: { server_info?: ServerInfo } };
    return { kind: 'ok', serverInfo: body.data?.server_info ?? null };
  } catch (err) {
    return { kind: 'unreachable', detail: err instanceof Error ? err.message : String(err) };
  }
}

export function App({ token }: { token: string | null }) {
  const [probe, setProbe] = useState<Probe>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    void probeApi(token).then((result) => {
      if (cancelled) return;
      setProbe(result);
      if (result.kind === 'rejected') forgetAccessToken();
    });
    return () => {
      cancelled = true;
    };
  }, [token, attempt]);
  useEffect(() => {
    if (probe.kind !== 'unreachable') return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), PROBE_RETRY_MS);
    return () => clearTimeout(timer);
  }, [probe]);

  if (!token) return <AccessScreen reason="missing" />;
  if (probe.kind === 'rejected') return <AccessScreen reason="rejected" />;
  if (probe.kind === 'unreachable')
    return <AccessScreen reason="unreachable" detail={probe.detail} onRetry={() => setAttempt((a) => a + 1)} />;
  if (probe.kind === 'checking')
    return (
      <div className="boot">
        <span className="spinner" /> Connecting to Evoscope…
      </div>
    );
  return <ConsoleRoot token={token} serverInfo={probe.serverInfo} />;
}

function ConsoleRoot({ token, serverInfo }: { token: string; serverInfo: ServerInfo | null }) {
  // One transport for the page's lifetime: a new token always comes with a reload.
  const [transport] = useState<Transport>(() => createTransport(token));
  const access = useStore(transport.access);
  if (access === 'rejected') {
    forgetAccessToken();
    return <AccessScreen reason="rejected" />;
  }
  return (
    <TransportContext.Provider value={transport}>
      <UrqlProvider value={transport.urql}>
        <MetaStreamProvider>
          <Console serverInfo={serverInfo} />
        </MetaStreamProvider>
      </UrqlProvider>
    </TransportContext.Provider>
  );
}

function MetaStreamProvider({ children }: { children: React.ReactNode }) {
  const meta = useMetaStream();
  return <MetaEventsContext.Provider value={meta}>{children}</MetaEventsContext.Provider>;
}

/** Which tab the visualisation panel shows and what the cross-links asked it to show. */
function useNavigationState(): Navigation {
  const [tab, setTab] = useState<VizTab>('execution');
  const [diff, setDiff] = useState<DiffTarget | null>(null);
  const [experimentId, setExperimentId] = useState<string | null>(null);
  const [generationId, setGenerationId] = useState<string | null>(null);
  const [focusVersion, setFocusVersion] = useState<(VersionRef & { serial: number }) | null>(null);
  return useMemo<Navigation>(
    () => ({
      tab,
      setTab,
      diff,
      experimentId,
      generationId,
      focusVersion,
      openDiff: (target) => {
        setDiff(target);
        setTab('diff');
      },
      openExperiment: (id) => {
        setExperimentId(id);
        setGenerationId(null);
        setTab('sandbox');
      },
      openGeneration: (id) => {
        setGenerationId(id);
        setExperimentId(null);
        setTab('sandbox');
      },
      showVersion: (ref) => {
        setFocusVersion((f) => ({ ...ref, serial: (f?.serial ?? 0) + 1 }));
        setTab('evolution');
      },
      versionShown: (serial) => setFocusVersion((f) => (f && f.serial === serial ? null : f)),
    }),
    [tab, diff, experimentId, generationId, focusVersion],
  );
}

/** Experiments waiting for a person, visible from every tab. */
function PendingBadge({ onOpen }: { onOpen(id: string): void }) {
  const { experiments } = useExperiments();
  const pending = pendingApprovals(experiments);
  if (pending.length === 0) return null;
  return (
    <button
      type="button"
      className="pending-badge"
      onClick={() => onOpen(pending[0]!.id)}
      data-testid="pending-badge"
      title="Experiments waiting for your decision"
    >
      <span className="count-badge">{pending.length}</span> awaiting approval
    </button>
  );
}

interface Selection {
  nodeIds: ReadonlySet<string>;
  messageIds: ReadonlySet<string>;
  /** The node whose details are open. */
  nodeId: string | null;
}
const NO_SELECTION: Selection = { nodeIds: new Set(), messageIds: new Set(), nodeId: null };

function Console({ serverInfo }: { serverInfo: ServerInfo | null }) {
  const sessions = useSessions();
  const tabs = useOpenTabs(sessions.loading || sessions.error ? null : sessions.sessions.map((s) => s.id));
  const chat = useChatStream(tabs.active);
  const exec = useExecutionStream(tabs.active);
  const [selection, setSelection] = useState<Selection>(NO_SELECTION);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [scrollRequest, setScrollRequest] = useState<ScrollRequest | null>(null);
  const serial = useRef(0);

  useOnChange(tabs.active, () => setSelection(NO_SELECTION));

  const nodesByMessage = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const node of exec.state.nodes.values()) {
      for (const messageId of node.chat_message_ids) {
        const list = map.get(messageId);
        if (list) list.push(node.id);
        else map.set(messageId, [node.id]);
      }
    }
    return map;
  }, [exec.state.nodes]);

  /** A message's nodes: the links either side recorded, else every node of its turn. */
  const nodesForMessage = useCallback(
    (message: ChatMessage): string[] => {
      const ids = new Set([...message.node_ids, ...(nodesByMessage.get(message.id) ?? [])]);
      for (const id of ids) if (!exec.state.nodes.has(id)) ids.delete(id);
      if (ids.size > 0) return [...ids];
      return exec.state.turns.get(message.turn_id)?.nodeIds ?? [];
    },
    [nodesByMessage, exec.state.nodes, exec.state.turns],
  );
  const nodeCountOf = useCallback((message: ChatMessage) => nodesForMessage(message).length, [nodesForMessage]);

  const onShowNodes = useCallback(
    (message: ChatMessage) => {
      const nodeIds = nodesForMessage(message);
      setSelection({ nodeIds: new Set(nodeIds), messageIds: new Set([message.id]), nodeId: null });
      setFocus({ nodeIds, serial: ++serial.current });
    },
    [nodesForMessage],
  );

  const messages = chat.state.messages;
  const onSelectNode = useCallback(
    (id: string | null) => {
      if (!id) {
        setSelection(NO_SELECTION);
        return;
      }
      const node = exec.state.nodes.get(id);
      if (!node) return;
      const linked = new Set(node.chat_message_ids);
      for (const m of messages) if (m.node_ids.includes(id)) linked.add(m.id);
      const messageIds = linked.size > 0 ? linked : new Set(messages.filter((m) => m.turn_id === node.turn_id).map((m) => m.id));
      setSelection({ nodeIds: new Set([id]), messageIds, nodeId: id });
      const first = messages.find((m) => messageIds.has(m.id));
      if (first) setScrollRequest({ messageId: first.id, serial: ++serial.current });
    },
    [exec.state.nodes, messages],
  );
  const onRevealNodes = useCallback((nodeIds: string[]) => setFocus({ nodeIds, serial: ++serial.current }), []);
  const onShowMessage = useCallback((id: string) => {
    setSelection((s) => ({ ...s, messageIds: new Set([id]) }));
    setScrollRequest({ messageId: id, serial: ++serial.current });
  }, []);

  const turnPhaseOf = useCallback((turnId: string) => exec.state.turns.get(turnId)?.reported ?? null, [exec.state.turns]);
  const activeTitle = sessions.sessions.find((s) => s.id === tabs.active)?.title ?? null;
  const nav = useNavigationState();
  const { experiments } = useExperiments();
  const pendingCount = pendingApprovals(experiments).length;

  return (
    <NavigationContext.Provider value={nav}>
      <div className="console">
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Evoscope
          </div>
          <span className="topbar-sep" />
          <span className="topbar-session" title={activeTitle ?? undefined}>
            {activeTitle ?? 'No session open'}
          </span>
          <span className="toolbar-spacer" />
          {serverInfo ? (
            <a
              className="topbar-link"
              href={serverInfo.temporal_ui_url}
              target="_blank"
              rel="noreferrer noopener"
              title="Temporal Web UI"
            >
              Temporal ↗
            </a>
          ) : null}
          <a
            className="topbar-link"
            href="/api/docs"
            target="_blank"
            rel="noreferrer noopener"
            title="REST API reference (OpenAPI 3.1: /api/openapi.json)"
          >
            API ↗
          </a>
          <PendingBadge onOpen={nav.openExperiment} />
          <ConnectionBadge />
        </header>
        <PanelLayout
          chat={
            <ChatPanel
              sessions={sessions}
              tabs={tabs}
              chat={chat}
              turnPhaseOf={turnPhaseOf}
              highlightedMessageIds={selection.messageIds}
              scrollRequest={scrollRequest}
              nodeCountOf={nodeCountOf}
              onShowNodes={onShowNodes}
            />
          }
          viz={
            <div className="viz-shell">
              <VizTabs tab={nav.tab} onChange={nav.setTab} pending={pendingCount} />
              <div className="viz-tabpanel" id="viz-tabpanel" role="tabpanel" aria-labelledby={`viz-tab-${nav.tab}`}>
                {nav.tab === 'execution' ? (
                  <GraphPanel
                    sessionId={tabs.active}
                    exec={exec}
                    messages={messages}
                    highlightedNodeIds={selection.nodeIds}
                    focus={focus}
                    selectedNodeId={selection.nodeId}
                    serverInfo={serverInfo}
                    onSelectNode={onSelectNode}
                    onShowMessage={onShowMessage}
                    onRevealNodes={onRevealNodes}
                  />
                ) : null}
                {nav.tab === 'evolution' ? <EvolutionPanel /> : null}
                {nav.tab === 'sandbox' ? <SandboxPanel /> : null}
                {nav.tab === 'diff' ? <DiffPanel /> : null}
                {nav.tab === 'trends' ? <TrendsPanel /> : null}
              </div>
            </div>
          }
          meta={<MetaPanel />}
          metaRail={<MetaRail />}
        />
      </div>
    </NavigationContext.Provider>
  );
}
