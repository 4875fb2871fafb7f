/**
 * The console's Content-Security-Policy: scripts, styles, images and connections from its own
 * origin only, so text the console renders (model answers, component code, tool output) cannot
 * make the browser send anything elsewhere. Images may also be `data:` (the favicon); styles may be
 * inline (React Flow and the markdown tables set `style` attributes); sockets go to the same host.
 */
import type { RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';

/** `ws://` and `wss://` to the host the page came from (a `Host` the allow-list already accepted). */
function sameHostSockets(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return `ws://${host} wss://${host}`;
}

/**
 * A page's policy: everything from its own origin only; `scriptSources` and `extra` directives
 * are the page's own (the console's bundle, or GraphiQL's inline scripts by hash).
 */
export function ownOriginPolicy(req: IncomingMessage, scriptSources: string, extra: string[] = []): string {
  return [
    "default-src 'self'",
    `script-src ${scriptSources}`,
    ...extra,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${sameHostSockets(req)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const consoleSecurityPolicy: RequestHandler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', ownOriginPolicy(req, "'self'", ["form-action 'self'"]));
  next();
};
