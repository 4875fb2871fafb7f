import type { ChatSession } from '../../../domain/chat';

interface Props {
  open: string[];
  active: string | null;
  sessions: ChatSession[];
  onActivate(id: string): void;
  onClose(id: string): void;
}

export function SessionTabs({ open, active, sessions, onActivate, onClose }: Props) {
  const titleOf = (id: string) => sessions.find((s) => s.id === id)?.title ?? '…';
  if (open.length === 0) return <div className="tabs-empty muted">No session open</div>;
  return (
    <div className="session-tabs" role="tablist" aria-label="Open sessions">
      {open.map((id) => (
        <div key={id} className={`session-tab${id === active ? ' is-active' : ''}`}>
          <button
            type="button"
            role="tab"
            aria-selected={id === active}
            className="session-tab-label"
            onClick={() => onActivate(id)}
            title={titleOf(id)}
          >
            {titleOf(id)}
          </button>
          <button type="button" className="session-tab-close" onClick={() => onClose(id)} aria-label={`Close ${titleOf(id)}`}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
