import { memo, useMemo } from 'react';
import type { ChatMessage, ModelLabel } from '../../../domain/chat';
import { AnswerFeedback } from './AnswerFeedback';
import { renderMarkdown } from './renderMarkdown';

function modelLabelText(model: ModelLabel | null): string | null {
  if (!model) return null;
  if (model.offline) return 'offline model';
  return model.model || model.provider;
}

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

interface Props {
  message: ChatMessage;
  highlighted: boolean;
  linkedNodeCount: number;
  onShowNodes(message: ChatMessage): void;
}

export const MessageItem = memo(function MessageItem({ message, highlighted, linkedNodeCount, onShowNodes }: Props) {
  const isUser = message.role === 'user';
  const model = modelLabelText(message.model);
  const streaming = message.status === 'streaming';
  const isAssistant = message.role === 'assistant';
  /** A finished answer can be marked right or wrong (and taught). */
  const teachable = isAssistant && message.status === 'complete';
  // Only the text changes while an answer streams: re-render the markdown for that, not for highlights.
  const html = useMemo(() => (isAssistant ? renderMarkdown(message.content) : null), [isAssistant, message.content]);
  return (
    <article
      className={`message role-${message.role} status-${message.status}${highlighted ? ' is-highlighted' : ''}`}
      data-message-id={message.id}
      data-status={message.status}
      aria-busy={streaming}
    >
      <div className="message-avatar" aria-hidden="true">
        {isUser ? 'You' : isAssistant ? 'AI' : 'Sys'}
      </div>
      <div className="message-main">
        <header className="message-head">
          <span className="message-role">{isUser ? 'You' : isAssistant ? 'Assistant' : 'System'}</span>
          {model ? (
            <span
              className={`model-chip${message.model?.offline ? ' is-offline' : ''}`}
              title={message.model ? `${message.model.provider} · ${message.model.model}` : undefined}
              data-testid="model-label"
            >
              {model}
            </span>
          ) : null}
          <span className="message-time">{time(message.timestamp)}</span>
          {message.status === 'stopped' ? <span className="status-tag tag-stopped">stopped</span> : null}
          {message.status === 'error' ? <span className="status-tag tag-error">failed</span> : null}
          {streaming ? <span className="status-tag tag-streaming">generating</span> : null}
        </header>
        <div className="message-content">
          {html === null ? message.content : <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />}
          {streaming ? <span className="caret" aria-hidden="true" /> : null}
          {!message.content && streaming ? <span className="muted">Thinking…</span> : null}
        </div>
        {message.error ? (
          <div className="message-error" role="alert">
            <strong>Error.</strong> {message.error}
          </div>
        ) : null}
        {linkedNodeCount > 0 || teachable ? (
          <footer className="message-foot">
            {linkedNodeCount > 0 ? (
              <button type="button" className="link-btn node-link" onClick={() => onShowNodes(message)} data-testid="show-nodes">
                ◇ {linkedNodeCount} node{linkedNodeCount === 1 ? '' : 's'} in graph
              </button>
            ) : null}
            {teachable ? <AnswerFeedback sessionId={message.session_id} messageId={message.id} /> : null}
          </footer>
        ) : null}
      </div>
    </article>
  );
});
