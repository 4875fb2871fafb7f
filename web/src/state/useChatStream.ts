/**
 * The open session's chat: current state first (cursor, then the newest page
 * of messages), then every stored event after that cursor, live.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import { useTransport } from '../api/TransportContext';
import {
  CHAT_EVENTS_SUBSCRIPTION,
  CHAT_LAST_SEQ_QUERY,
  MESSAGES_QUERY,
  type ChatLastSeqResult,
  type MessagesResult,
} from '../api/documents';
import { chatReducer, initialChatState, type ChatState } from './chatEvents';
import { useLoadThenStream } from './useLoadThenStream';

const PAGE_SIZE = 40;

export interface ChatStream {
  state: ChatState;
  error: string | null;
  loadingOlder: boolean;
  loadOlder(): Promise<void>;
}

export function useChatStream(sessionId: string | null): ChatStream {
  const { urql } = useTransport();
  const [state, dispatch] = useReducer(chatReducer, sessionId, initialChatState);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => dispatch({ type: 'reset', sessionId }), [sessionId]);
  const [error, setError] = useLoadThenStream(sessionId, async (cancelled) => {
    // The cursor is read before the page: an event landing in between is
    // then replayed by the subscription (and ignored if already applied)
    // rather than missed.
    const cursor = await urql.query<ChatLastSeqResult>(CHAT_LAST_SEQ_QUERY, { session_id: sessionId }).toPromise();
    if (cancelled()) return null;
    if (cursor.error || !cursor.data) throw new Error(cursor.error?.message ?? 'no chat cursor');
    const page = await urql.query<MessagesResult>(MESSAGES_QUERY, { session_id: sessionId, limit: PAGE_SIZE }).toPromise();
    if (cancelled()) return null;
    if (page.error || !page.data) throw new Error(page.error?.message ?? 'no messages');
    // A streaming answer's text is stored only when it completes; to show
    // all of it, replay the session's events from the start (the reducer
    // restarts that message at its creation and skips what is final).
    const streaming = page.data.messages.messages.some((m) => m.status === 'streaming');
    const lastSeq = streaming ? 0 : cursor.data.chat_last_seq;
    dispatch({
      type: 'loaded',
      sessionId: sessionId!,
      messages: page.data.messages.messages,
      hasMore: page.data.messages.has_more,
      lastSeq,
    });
    return {
      query: CHAT_EVENTS_SUBSCRIPTION,
      field: 'chat_events',
      variables: { session_id: sessionId },
      afterSeq: lastSeq,
      onEvents: (events) => dispatch({ type: 'events', sessionId: sessionId!, events }),
    };
  });

  const { sessionId: loadedSessionId, hasMore } = state;
  const oldestId = state.messages[0]?.id ?? null;
  const loadOlder = useCallback(async () => {
    if (!loadedSessionId || !hasMore || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await urql
        .query<MessagesResult>(MESSAGES_QUERY, { session_id: loadedSessionId, before: oldestId, limit: PAGE_SIZE })
        .toPromise();
      if (page.error || !page.data) throw new Error(page.error?.message ?? 'no messages');
      dispatch({
        type: 'older_loaded',
        sessionId: loadedSessionId,
        messages: page.data.messages.messages,
        hasMore: page.data.messages.has_more,
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoadingOlder(false);
    }
  }, [urql, loadingOlder, loadedSessionId, hasMore, oldestId, setError]);

  return { state, error, loadingOlder, loadOlder };
}
