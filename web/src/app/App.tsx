/**
 * Root: find the access token, check it against the API, then run the
 * console (chat | execution graph | meta) on one transport.
 */
import { useEffect, useState } from 'react';
import { forgetAccessToken } from '../auth/accessToken';
import { AccessScreen } from '../components/AccessScreen';
import { ConsoleRoot } from './ConsoleRoot';
import { probeApi, type Probe } from './probeApi';

const PROBE_RETRY_MS = 3000;

export function App({ token }: { token: string | null }) {
  const [probe, setProbe] = useState<Probe>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    void probeApi(token).then((result) => {
      if (cancelled) return;
      setProbe(result);
      if (result.kind === 'rejected') forgetAccessToken();
    });
    return () => {
      cancelled = true;
    };
  }, [token, attempt]);
  useEffect(() => {
    if (probe.kind !== 'unreachable') return;
    const timer = setTimeout(() => setAttempt((a) => a + 1), PROBE_RETRY_MS);
    return () => clearTimeout(timer);
  }, [probe]);

  if (!token) return <AccessScreen reason="missing" />;
  if (probe.kind === 'rejected') return <AccessScreen reason="rejected" />;
  if (probe.kind === 'unreachable')
    return <AccessScreen reason="unreachable" detail={probe.detail} onRetry={() => setAttempt((a) => a + 1)} />;
  if (probe.kind === 'checking')
    return (
      <div className="boot">
        <span className="spinner" /> Connecting to Evoscope…
      </div>
    );
  return <ConsoleRoot token={token} serverInfo={probe.serverInfo} />;
}
