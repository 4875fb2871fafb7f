import { useEffect, useState } from 'react';
import { useStore, useTransport } from '../api/TransportContext';
import './components.css';

const LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', failed: 'Disconnected' } as const;

/** Always-visible state of the live connection (driven by graphql-ws events). */
export function ConnectionBadge() {
  const { connection, restartNotice, serviceProblems } = useTransport();
  const state = useStore(connection);
  const notice = useStore(restartNotice);
  const problems = useStore(serviceProblems);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (state.phase === 'live') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [state.phase]);
  const seconds = Math.max(0, Math.round((now - state.since) / 1000));
  const detail =
    state.phase === 'reconnecting'
      ? `Connection lost ${seconds}s ago${state.attempts > 0 ? ` · attempt ${state.attempts}` : ''}. Updates resume where they stopped.`
      : state.phase === 'failed'
        ? state.detail ?? 'The connection failed.'
        : state.phase === 'live'
          ? `Receiving live updates.${notice ? ` The API process was restarted; streams resumed where they stopped.` : ''}${problems ? ` Services not in working order: ${problems}.` : ''}`
          : 'Opening the live connection…';
  return (
    <div className={`connection-badge phase-${state.phase}`} role="status" aria-live="polite" title={detail} data-testid="connection-badge" data-phase={state.phase}>
      <span className="connection-dot" aria-hidden="true" />
      <span>{LABELS[state.phase]}</span>
      {state.phase === 'reconnecting' && seconds >= 3 ? <span className="connection-since">{seconds}s</span> : null}
      {state.phase === 'live' && notice ? <span className="connection-notice" data-testid="connection-notice">· {notice}</span> : null}
      {state.phase === 'live' && problems ? (
        <span className="connection-trouble" data-testid="service-problems">
          · {problems}
        </span>
      ) : null}
    </div>
  );
}
