/**
 * The open session's chat: current state first (cursor, then the newest page
 * of messages), then every stored event after that cursor, live.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTransport } from '../api/TransportContext';
import {
  CHAT_EVENTS_SUBSCRIPTION, CHAT_LAST_SEQ_QUERY, MESSAGES_QUERY,
  type ChatLastSeqResult, type MessagesResult,
} from '../api/documents';
import { openResumableStream } from '../api/resumableStream';
import { chatReducer, initialChatState, type ChatState } from './chatEvents';

const LOAD_RETRY_MS = 2000;

export const PAGE_SIZE = 40;

export interface ChatStream {
  state: ChatState;
  error: string | null;
  loadingOlder: boolean;
  loadOlder(): Promise<void>;
}

export function useChatStream(sessionId: string | null): ChatStream {
  const { urql, ws } = useTransport();
  const [state, dispatch] = useReducer(chatReducer, sessionId, initialChatState);
  const [error, setError] = useState<string | null>(null);
  // Bumped to load again after a failed first load (the API may be restarting).
  const [loadAttempt, setLoadAttempt] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    dispatch({ type: 'reset', sessionId });
    setError(null);
    if (!sessionId) return;
    let cancelled = false;
    let close: (() => void) | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      // The cursor is read before the page: an event landing in between is
      // then replayed by the subscription (and ignored if already applied)
      // rather than missed.
      const cursor = await urql.query<ChatLastSeqResult>(CHAT_LAST_SEQ_QUERY, { session_id: sessionId }).toPromise();
      if (cancelled) return;
      if (cursor.error || !cursor.data) throw new Error(cursor.error?.message ?? 'no chat cursor');
      const page = await urql.query<MessagesResult>(MESSAGES_QUERY, { session_id: sessionId, limit: PAGE_SIZE }).toPromise();
      if (cancelled) return;
      if (page.error || !page.data) throw new Error(page.error?.message ?? 'no messages');
      // A streaming answer's text is stored only when it completes; to show
      // all of it, replay the session's events from the start (the reducer
      // restarts that message at its creation and skips what is final).
      const streaming = page.data.messages.messages.some((m) => m.status === 'streaming');
      const lastSeq = streaming ? 0 : cursor.data.chat_last_seq;
      dispatch({ type: 'loaded', sessionId, messages: page.data.messages.messages, hasMore: page.data.messages.has_more, lastSeq });
      close = openResumableStream(ws, {
        query: CHAT_EVENTS_SUBSCRIPTION,
        field: 'chat_events',
        variables: { session_id: sessionId },
        afterSeq: lastSeq,
        onEvents: (events) => {
          setError(null);
          dispatch({ type: 'events', sessionId, events });
        },
        onError: (message) => setError(message),
      });
    })().catch((err: unknown) => {
      if (cancelled) return;
      setError(`${err instanceof Error ? err.message : String(err)} — retrying`);
      retry = setTimeout(() => setLoadAttempt((n) => n + 1), LOAD_RETRY_MS);
    });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      close?.();
    };
  }, [sessionId, urql, ws, loadAttempt]);

  const loadOlder = useCallback(async () => {
    const current = stateRef.current;
    if (!current.sessionId || !current.hasMore || loadingOlder) return;
    const oldest = current.messages[0];
    setLoadingOlder(true);
    try {
      const page = await urql
        .query<MessagesResult>(MESSAGES_QUERY, { session_id: current.sessionId, before: oldest?.id ?? null, limit: PAGE_SIZE })
        .toPromise();
      if (page.error || !page.data) throw new Error(page.error?.message ?? 'no messages');
      dispatch({ type: 'older_loaded', sessionId: current.sessionId, messages: page.data.messages.messages, hasMore: page.data.messages.has_more });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoadingOlder(false);
    }
  }, [urql, loadingOlder]);

  return { state, error, loadingOlder, loadOlder };
}
