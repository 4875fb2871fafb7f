import { useState } from 'react';
import { storeAccessToken } from '../auth/accessToken';
import './components.css';

export type AccessReason = 'missing' | 'rejected' | 'unreachable';

const COPY: Record<AccessReason, { title: string; body: string }> = {
  missing: {
    title: 'This console needs its access link',
    body: 'Evoscope only answers browsers that present the access token printed when the server starts. The link you opened does not carry it.',
  },
  rejected: {
    title: 'The access token was not accepted',
    body: 'The API refused the token this tab holds. The server may have been restarted with a new token, or the link was copied incompletely.',
  },
  unreachable: {
    title: 'The Evoscope API is not reachable',
    body: 'The console loaded, but the API behind it does not answer. It may still be starting, or it has stopped.',
  },
};

/** Shown instead of the console when there is no usable token or no API; never a blank page. */
export function AccessScreen({ reason, detail, onRetry }: { reason: AccessReason; detail?: string | null; onRetry?(): void }) {
  const [pasted, setPasted] = useState('');
  const copy = COPY[reason];
  const submitPasted = () => {
    const value = pasted.trim();
    if (!value) return;
    let token = value;
    try {
      token = new URL(value).searchParams.get('token') ?? value;
    } catch {
      // not a URL: the token itself
    }
    storeAccessToken(token);
    window.location.replace(window.location.pathname);
  };
  return (
    <main className="access-screen" data-testid="access-screen" data-reason={reason}>
      <div className="access-card">
        <div className="brand brand-lg"><span className="brand-mark" aria-hidden="true" />Evoscope</div>
        <h1>{copy.title}</h1>
        <p>{copy.body}</p>
        {reason === 'unreachable' ? (
          <>
            {detail ? <pre className="access-detail">{detail}</pre> : null}
            <ol>
              <li>In the repository, run <code>npm start</code> and wait for the line with the console URL.</li>
              <li>This page retries on its own; or press Retry.</li>
            </ol>
            {onRetry ? <button type="button" className="btn btn-primary" onClick={onRetry}>Retry now</button> : null}
          </>
        ) : (
          <>
            <ol>
              <li>In the repository, run <code>npm start</code>.</li>
              <li>It prints a line such as <code>Console: http://127.0.0.1:4000/?token=…</code></li>
              <li>Open that exact URL. The token is kept for this browser tab only and removed from the address bar.</li>
            </ol>
            <form className="access-paste" onSubmit={(e) => { e.preventDefault(); submitPasted(); }}>
              <label htmlFor="paste-token">Or paste the printed URL or token here</label>
              <div className="access-paste-row">
                <input id="paste-token" className="input" type="password" value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="http://127.0.0.1:4000/?token=…" autoComplete="off" />
                <button type="submit" className="btn btn-primary" disabled={!pasted.trim()}>Open console</button>
              </div>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
