/**
 * A node's place in the team's tracing backend: its OpenTelemetry trace and span ids (present
 * when the worker traced the turn), the trace id a link when the server names a trace UI.
 */
import type { ServerInfo } from '../../../domain/serverInfo';

/** The template's `{trace_id}` replaced; null without a template. */
export function traceUrl(template: string | null | undefined, traceId: string): string | null {
  return template ? template.split('{trace_id}').join(encodeURIComponent(traceId)) : null;
}

export function NodeTraceIds({
  traceId,
  spanId,
  serverInfo,
}: {
  traceId: string | null | undefined;
  spanId: string | null | undefined;
  serverInfo: ServerInfo | null;
}) {
  if (!traceId || !spanId) return null;
  const url = traceUrl(serverInfo?.trace_url_template, traceId);
  return (
    <>
      <dt>Trace id</dt>
      <dd className="mono-wrap">
        {url ? (
          <a href={url} target="_blank" rel="noreferrer noopener">
            {traceId} ↗
          </a>
        ) : (
          traceId
        )}
      </dd>
      <dt>Span id</dt>
      <dd className="mono-wrap">{spanId}</dd>
    </>
  );
}
