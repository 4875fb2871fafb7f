import { useRef, useState, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_CHARS } from '../../../domain/chat';

interface Props {
  disabled: boolean;
  generating: boolean;
  stopping: boolean;
  onSend(content: string): Promise<boolean>;
  onStop(): void;
  error: string | null;
}

export function Composer({ disabled, generating, stopping, onSend, onStop, error }: Props) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const trimmed = text.trim();
  const tooLong = text.length > MAX_MESSAGE_CHARS;

  const send = async () => {
    if (!trimmed || tooLong || sending || disabled) return;
    setSending(true);
    const ok = await onSend(trimmed);
    setSending(false);
    if (ok) setText('');
    ref.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div className="composer">
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="composer-row">
        <textarea
          ref={ref}
          className="composer-input"
          placeholder={disabled ? 'Loading the session…' : 'Message the agent…'}
          title="Enter sends · Shift+Enter adds a line"
          value={text}
          disabled={disabled}
          rows={Math.min(8, Math.max(1, text.split('\n').length))}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-label="Message"
          data-testid="composer-input"
        />
        {generating ? (
          <button type="button" className="btn btn-stop" onClick={onStop} disabled={stopping} data-testid="stop-button">
            <span className="stop-square" aria-hidden="true" /> {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void send()}
          disabled={disabled || !trimmed || tooLong || sending}
          data-testid="send-button"
        >
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
      {text.length > MAX_MESSAGE_CHARS * 0.8 ? (
        <div className={`composer-count${tooLong ? ' is-over' : ''}`}>
          {text.length} / {MAX_MESSAGE_CHARS}
        </div>
      ) : null}
    </div>
  );
}
