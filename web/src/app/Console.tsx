/**
 * The console's three panels on one page: the open session's chat and execution streams, and the
 * selection that links a message to its graph nodes and back (the chat highlights and scrolls, the
 * graph highlights and brings the nodes into view).
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '../../../domain/chat';
import type { ServerInfo } from '../../../domain/serverInfo';
import { ChatPanel } from '../chat/ChatPanel';
import type { ScrollRequest } from '../chat/MessageList';
import { useOpenTabs } from '../chat/useOpenTabs';
import { useSessions } from '../chat/useSessions';
import { DiffPanel } from '../diff/DiffPanel';
import { TrendsPanel } from '../trends/TrendsPanel';
import { EvolutionPanel } from '../evolution/EvolutionPanel';
import { pendingApprovals, useExperiments } from '../evolution/useEvolutionData';
import { ExperimentsPanel } from '../experiments/ExperimentsPanel';
import { GraphPanel, type FocusRequest } from '../graph/GraphPanel';
import { NavigationContext } from '../layout/navigation';
import { PanelLayout } from '../layout/PanelLayout';
import { VizTabs } from '../layout/VizTabs';
import { MetaPanel } from '../meta/MetaPanel';
import { MetaRail } from '../meta/MetaRail';
import { useChatStream } from '../state/useChatStream';
import { useExecutionStream } from '../state/useExecutionStream';
import { useOnChange } from '../state/useOnChange';
import { TopBar } from './TopBar';
import { useNavigationState } from './useNavigationState';

interface Selection {
  nodeIds: ReadonlySet<string>;
  messageIds: ReadonlySet<string>;
  /** The node whose details are open. */
  nodeId: string | null;
}
const NO_SELECTION: Selection = { nodeIds: new Set(), messageIds: new Set(), nodeId: null };

export function Console({ serverInfo }: { serverInfo: ServerInfo | null }) {
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
        <TopBar activeTitle={activeTitle} serverInfo={serverInfo} onOpenExperiment={nav.openExperiment} />
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
                {nav.tab === 'sandbox' ? <ExperimentsPanel /> : null}
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
