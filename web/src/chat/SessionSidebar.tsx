import { useState } from 'react';
import type { ChatSession } from '../../../domain/chat';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { PencilIcon, TrashIcon } from '../components/Icons';
import type { Sessions } from './useSessions';

interface Props {
  sessions: Sessions;
  activeId: string | null;
  onOpen(id: string): void;
  onCreated(session: ChatSession): void;
}

function relativeTime(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

export function SessionSidebar({ sessions, activeId, onOpen, onCreated }: Props) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<ChatSession | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const commitRename = async (id: string) => {
    const title = draft.trim();
    setRenaming(null);
    if (!title) return;
    const err = await sessions.rename(id, title);
    setProblem(err);
  };

  return (
    <nav className="session-sidebar" aria-label="Sessions">
      <div className="sidebar-head">
        <h2 className="panel-title">Sessions</h2>
        <button
          type="button"
          className="btn btn-sm btn-primary"
          disabled={creating}
          onClick={async () => {
            setCreating(true);
            const created = await sessions.create();
            setCreating(false);
            if (created) onCreated(created);
            else setProblem('Could not create a session.');
          }}
        >
          + New
        </button>
      </div>
      {problem ? (
        <div className="inline-error" role="alert">
          {problem}
        </div>
      ) : null}
      {sessions.error ? <div className="inline-error">Sessions: {sessions.error}</div> : null}
      <ul className="session-list" data-testid="session-list">
        {sessions.loading ? <li className="muted pad">Loading…</li> : null}
        {!sessions.loading && sessions.sessions.length === 0 ? (
          <li className="muted pad">No sessions yet. Create one to start chatting.</li>
        ) : null}
        {sessions.sessions.map((s) => (
          <li key={s.id} className={`session-item${s.id === activeId ? ' is-active' : ''}`} data-session-id={s.id}>
            {renaming === s.id ? (
              <input
                className="input input-sm"
                autoFocus
                value={draft}
                maxLength={200}
                aria-label="Session title"
                onChange={(e) => setDraft(e.target.value)}
                onBlur={() => void commitRename(s.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void commitRename(s.id);
                  if (e.key === 'Escape') setRenaming(null);
                }}
              />
            ) : (
              <button type="button" className="session-open" onClick={() => onOpen(s.id)} title={s.title}>
                <span className="session-title">{s.title}</span>
                <span className="session-meta">
                  {s.message_count} msg · {relativeTime(s.updated_at)}
                </span>
              </button>
            )}
            <span className="session-actions">
              <button
                type="button"
                className="icon-btn"
                title="Rename"
                aria-label={`Rename ${s.title}`}
                onClick={() => {
                  setDraft(s.title);
                  setRenaming(s.id);
                }}
              >
                <PencilIcon />
              </button>
              <button
                type="button"
                className="icon-btn danger"
                title="Delete"
                aria-label={`Delete ${s.title}`}
                onClick={() => setDeleting(s)}
              >
                <TrashIcon />
              </button>
            </span>
          </li>
        ))}
      </ul>
      {deleting ? (
        <ConfirmDialog
          title="Delete this session?"
          body={`“${deleting.title}” and its ${deleting.message_count} messages and execution graph will be removed. This cannot be undone.`}
          confirmLabel="Delete session"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            const target = deleting;
            setDeleting(null);
            setProblem(await sessions.remove(target.id));
          }}
        />
      ) : null}
    </nav>
  );
}
