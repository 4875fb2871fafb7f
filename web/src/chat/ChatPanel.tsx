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
import './chat.css';

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
  const [awaited, setAwaited] = useState<{ sessionId: string; turnId: string } | null>(null);
  const sessionId = tabs.active;
  const { state } = chat;

  // What belonged to the session left behind is dropped (a first message keeps what it started in its new session).
  useOnChange(sessionId, (next) => {
    setPending((p) => (p?.sessionId === next ? p : null));
    setAwaited((a) => (a?.sessionId === next ? a : null));
    setSendError(null);
  });
  const awaitingTurn = awaited?.sessionId === sessionId ? awaited.turnId : null;
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

  const sendTo = useCallback(
    async (target: string, content: string) => {
      setSendError(null);
      setPending({ text: content, sessionId: target, messageId: null });
      const result = await sendMutation({ session_id: target, content, client_message_id: newClientMessageId() });
      if (result.error || !result.data) {
        setPending(null);
        setSendError(`Not sent: ${result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? 'no answer from the API'}`);
        return false;
      }
      const sent = result.data.send_message;
      setPending((p) => (p && p.sessionId === target ? { ...p, messageId: sent.message_id } : p));
      setAwaited({ sessionId: target, turnId: sent.turn_id });
      sessions.refresh();
      return true;
    },
    [sendMutation, sessions],
  );
  // With no session open, the first message starts one, titled by it.
  const onSend = useCallback(
    async (content: string) => {
      if (sessionId) return sendTo(sessionId, content);
      const created = await sessions.create(content.slice(0, 60));
      if (!created) {
        setSendError('Not sent: a session could not be created');
        return false;
      }
      tabs.openTab(created.id);
      return sendTo(created.id, content);
    },
    [sessionId, sendTo, sessions, tabs],
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
              Type a message below to start a session, or open one from the list, to talk to the agent system and watch each run
              unfold in the execution graph.
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
          disabled={sessionId !== null && !state.loaded}
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
