/** The console's top bar: brand, the open session's title, links to Temporal's UI and the API reference, pending approvals, connection. */
import type { ServerInfo } from '../../../domain/serverInfo';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { PendingBadge } from './PendingBadge';

export function TopBar({
  activeTitle,
  serverInfo,
  onOpenExperiment,
}: {
  activeTitle: string | null;
  serverInfo: ServerInfo | null;
  onOpenExperiment(id: string): void;
}) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Evoscope
      </div>
      <span className="topbar-sep" />
      <span className="topbar-session" title={activeTitle ?? undefined}>
        {activeTitle ?? 'No session open'}
      </span>
      <span className="toolbar-spacer" />
      {serverInfo ? (
        <a
          className="topbar-link"
          href={serverInfo.temporal_ui_url}
          target="_blank"
          rel="noreferrer noopener"
          title="Temporal Web UI"
        >
          Temporal ↗
        </a>
      ) : null}
      <a
        className="topbar-link"
        href="/api/docs"
        target="_blank"
        rel="noreferrer noopener"
        title="REST API reference (OpenAPI 3.1: /api/openapi.json)"
      >
        API ↗
      </a>
      <PendingBadge onOpen={onOpenExperiment} />
      <ConnectionBadge />
    </header>
  );
}
