/**
 * GraphiQL's page, served from the `@graphql-yoga/render-graphiql` package (its scripts, styles and
 * editor workers are inlined in the page), so it works with no network: yoga's built-in page loads
 * them from a public CDN. The page holds no data; every operation it sends passes the token gate.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ownOriginPolicy } from '../http/consoleSecurityPolicy';

export interface GraphiQLPage {
  html: string;
  /** Allows exactly the page's inline scripts (by hash) and nothing from another origin. */
  contentSecurityPolicy: (req: IncomingMessage) => string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The text of every inline `<script>` element, as CSP hashes it. */
const inlineScripts = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);

/** Loaded on the first request for the page: the package is 9 MB of script, which the API need not parse at start. */
export async function loadGraphiQLPage(options: { title: string }): Promise<GraphiQLPage> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderGraphiQL({ title: options.title, subscriptionsProtocol: 'WS' });
  const scripts = inlineScripts(html).map(sha256).join(' ');
  return {
    html,
    // The editor (Monaco) runs its language services in workers made from inlined blobs, and sets styles itself.
    contentSecurityPolicy: (req) => ownOriginPolicy(req, scripts, ['worker-src blob:']),
  };
}

/**
 * Yoga's own rule for "this request wants GraphiQL's page" (`shouldRenderGraphiQL`: a GET that
 * accepts HTML, whatever its query string says). Such a request gets the page and nothing else;
 * yoga itself renders no page (`graphiql: false`), so every request it sees is an operation.
 */
export function wantsGraphiQLPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}
