import { useCallback, useEffect, useRef, useState } from 'react';
import { useOnChange } from '../state/useOnChange';
import { useMutation } from 'urql';
import type { ChatMessage, ChatSession } from '../../../domain/chat';
import { SEND_MESSAGE, STOP_GENERATION, type SendMessageResultData } from '../api/documents';
import type { ChatStream } from '../state/useChatStream';
import { MenuIcon } from '../components/Icons';
import { Composer } from './Composer';
import { MessageList, type ScrollRequest } from './MessageList';
import { SessionSidebar } from './SessionSidebar';
import { SessionTabs } from './SessionTabs';
import type { Sessions } from './useSessions';

interface Props {
  sessions: Sessions;
  tabs: { open: string[]; active: string | null; openTab(id: string): void; closeTab(id: string): void };
  chat: ChatStream;
  /** A turn's phase as the execution graph sees it (null while unknown). */
  turnPhaseOf(turnId: string): string | null;
  highlightedMessageIds: ReadonlySet<string>;
  scrollRequest: ScrollRequest | null;
  nodeCountOf(message: ChatMessage): number;
  onShowNodes(message: ChatMessage): void;
}

const SIDEBAR_KEY = 'evoscope.sidebar.v1';
const newClientMessageId = () => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

export function ChatPanel({
  sessions,
  tabs,
  chat,
  turnPhaseOf,
  highlightedMessageIds,
  scrollRequest,
  nodeCountOf,
  onShowNodes,
}: Props) {
  const [sidebarOpen, setSidebarOpen] = useState(() => localStorage.getItem(SIDEBAR_KEY) !== 'closed');
  useEffect(() => localStorage.setItem(SIDEBAR_KEY, sidebarOpen ? 'open' : 'closed'), [sidebarOpen]);
  const [, sendMutation] = useMutation<SendMessageResultData>(SEND_MESSAGE);
  const [stopState, stopMutation] = useMutation(STOP_GENERATION);
  const [sendError, setSendError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ text: string; sessionId: string; messageId: string | null } | null>(null);
  const [awaitingTurn, setAwaitingTurn] = useState<string | null>(null);
  const sessionId = tabs.active;
  const { state } = chat;

  useOnChange(sessionId, () => {
    setPending(null);
    setAwaitingTurn(null);
    setSendError(null);
  });
  // The optimistic copy of a sent message disappears once the real one arrives.
  const pendingShown = pending?.messageId && state.messages.some((m) => m.id === pending.messageId) ? null : pending;
  // A turn we started counts as generating until its answer is final.
  const awaitedPhase = awaitingTurn ? turnPhaseOf(awaitingTurn) : null;
  const awaitedAnswer = awaitingTurn
    ? state.messages.find((m) => m.turn_id === awaitingTurn && m.role === 'assistant')
    : undefined;
  const awaiting =
    awaitingTurn !== null &&
    !(awaitedAnswer && awaitedAnswer.status !== 'streaming') &&
    (awaitedPhase === null || awaitedPhase === 'running');

  const streaming = state.messages.some((m) => m.role === 'assistant' && m.status === 'streaming');
  const generating = streaming || awaiting;
  // A finished answer changes the session's message count and time in the list: ask for it again.
  const { refresh: refreshSessions } = sessions;
  const wasGenerating = useRef(generating);
  useEffect(() => {
    if (wasGenerating.current && !generating) refreshSessions();
    wasGenerating.current = generating;
  }, [generating, refreshSessions]);

  const onSend = useCallback(
    async (content: string) => {
      if (!sessionId) return false;
      setSendError(null);
      setPending({ text: content, sessionId, messageId: null });
      const result = await sendMutation({ session_id: sessionId, content, client_message_id: newClientMessageId() });
      if (result.error || !result.data) {
        setPending(null);
        setSendError(`Not sent: ${result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? 'no answer from the API'}`);
        return false;
      }
      const sent = result.data.send_message;
      setPending((p) => (p && p.sessionId === sessionId ? { ...p, messageId: sent.message_id } : p));
      setAwaitingTurn(sent.turn_id);
      sessions.refresh();
      return true;
    },
    [sessionId, sendMutation, sessions],
  );
  const onStop = useCallback(async () => {
    if (!sessionId) return;
    const result = await stopMutation({ session_id: sessionId });
    if (result.error) setSendError(`Stop failed: ${result.error.message}`);
  }, [sessionId, stopMutation]);

  const onCreated = (created: ChatSession) => tabs.openTab(created.id);

  return (
    <div className={`chat${sidebarOpen ? '' : ' sidebar-closed'}`}>
      {sidebarOpen ? (
        <SessionSidebar sessions={sessions} activeId={sessionId} onOpen={tabs.openTab} onCreated={onCreated} />
      ) : null}
      <div className="chat-main">
        <div className="panel-toolbar chat-toolbar">
          <button
            type="button"
            className="icon-btn"
            onClick={() => setSidebarOpen((o) => !o)}
            aria-pressed={sidebarOpen}
            title={sidebarOpen ? 'Hide session list' : 'Show session list'}
            aria-label="Toggle session list"
          >
            <MenuIcon />
          </button>
          <SessionTabs
            open={tabs.open}
            active={sessionId}
            sessions={sessions.sessions}
            onActivate={tabs.openTab}
            onClose={tabs.closeTab}
          />
        </div>
        {chat.error ? <div className="inline-error banner">Chat stream: {chat.error}</div> : null}
        {sessionId ? (
          <MessageList
            state={state}
            loadingOlder={chat.loadingOlder}
            onLoadOlder={() => void chat.loadOlder()}
            highlighted={highlightedMessageIds}
            scrollRequest={scrollRequest}
            nodeCountOf={nodeCountOf}
            onShowNodes={onShowNodes}
            pendingUserText={pendingShown && pendingShown.sessionId === sessionId ? pendingShown.text : null}
            pendingSent={Boolean(pendingShown?.messageId)}
            activity={state.activity}
            generating={generating}
          />
        ) : (
          <div className="chat-empty grow">
            <div className="chat-empty-title">Welcome to Evoscope</div>
            <div className="muted">
              Create a session, or open one from the list, to talk to the agent system and watch each run unfold in the execution
              graph.
            </div>
            <button
              type="button"
              className="btn btn-primary"
              onClick={async () => {
                const created = await sessions.create();
                if (created) onCreated(created);
              }}
            >
              + New session
            </button>
          </div>
        )}
        <Composer
          disabled={!sessionId || !state.loaded}
          generating={generating}
          stopping={stopState.fetching}
          onSend={onSend}
          onStop={() => void onStop()}
          error={sendError}
        />
      </div>
    </div>
  );
}
