import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ChatMessage } from '../../../domain/chat';
import type { AgentActivity, ChatState } from '../state/chatEvents';
import { NODE_TYPE_NAMES } from '../graph/nodeVisuals';
import { MessageItem } from './MessageItem';

export interface ScrollRequest {
  messageId: string;
  serial: number;
}

interface Props {
  state: ChatState;
  loadingOlder: boolean;
  onLoadOlder(): void;
  highlighted: ReadonlySet<string>;
  scrollRequest: ScrollRequest | null;
  nodeCountOf(message: ChatMessage): number;
  onShowNodes(message: ChatMessage): void;
  pendingUserText: string | null;
  /** The API accepted it; we wait for the run to announce it. */
  pendingSent: boolean;
  activity: AgentActivity | null;
  generating: boolean;
}

const BOTTOM_SLACK_PX = 48;

export function MessageList({
  state,
  loadingOlder,
  onLoadOlder,
  highlighted,
  scrollRequest,
  nodeCountOf,
  onShowNodes,
  pendingUserText,
  pendingSent,
  activity,
  generating,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prevHeight = useRef(0);
  const prevFirst = useRef<string | undefined>(undefined);
  const firstId = state.messages[0]?.id;

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
  };

  // Keep the reader's place: pinned to the bottom while new text streams in,
  // and anchored on the same message when an older page is prepended.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (prevFirst.current && firstId !== prevFirst.current && prevHeight.current > 0 && !atBottom.current) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevFirst.current = firstId;
    prevHeight.current = el.scrollHeight;
  });

  useEffect(() => {
    atBottom.current = true;
  }, [state.sessionId]);

  useEffect(() => {
    if (!scrollRequest) return;
    const el = ref.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(scrollRequest.messageId)}"]`);
    if (el) {
      atBottom.current = false;
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  }, [scrollRequest]);

  return (
    <div className="message-list" ref={ref} onScroll={onScroll} data-testid="message-list" aria-live="polite">
      {state.hasMore ? (
        <div className="load-older">
          <button type="button" className="btn btn-sm" onClick={onLoadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Load older messages'}
          </button>
        </div>
      ) : null}
      {state.loaded && state.messages.length === 0 && !pendingUserText ? (
        <div className="chat-empty">
          <div className="chat-empty-title">Ask anything</div>
          <div className="muted">Try “what is 17 * 23?”, “remember that my cat is called Miso”, or “write a long story”.</div>
        </div>
      ) : null}
      {!state.loaded && state.sessionId ? <div className="muted pad">Loading messages…</div> : null}
      {state.messages.map((m) => (
        <MessageItem
          key={m.id}
          message={m}
          highlighted={highlighted.has(m.id)}
          linkedNodeCount={nodeCountOf(m)}
          onShowNodes={onShowNodes}
        />
      ))}
      {pendingUserText ? (
        <article className="message role-user is-pending" aria-busy="true">
          <div className="message-avatar" aria-hidden="true">
            You
          </div>
          <div className="message-main">
            <header className="message-head">
              <span className="message-role">You</span>
              <span className="message-time">{pendingSent ? 'sent · waiting for the run to start…' : 'sending…'}</span>
            </header>
            <div className="message-content">{pendingUserText}</div>
          </div>
        </article>
      ) : null}
      {generating ? (
        <div className="activity-line" data-testid="activity">
          <span className="spinner" aria-hidden="true" />
          {activity ? `${NODE_TYPE_NAMES[activity.node_type]} · ${activity.label}` : 'Working…'}
        </div>
      ) : null}
    </div>
  );
}
