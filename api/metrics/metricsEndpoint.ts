import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiDeps } from '../deps';
import { scrapeMetrics, type Scrape } from './scrape';
import { createStoreMetrics } from './storeMetrics';

export interface MetricsEndpoint {
  scrape(): Promise<Scrape>;
  /** The token-free listener of EVOSCOPE_METRICS_ADDRESS, if set; answers its port. */
  listen(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * /metrics for one app: on the API's port behind the token (app.ts), and, with
 * EVOSCOPE_METRICS_ADDRESS, on a listener of its own that serves nothing else and needs no
 * token (loopback unless the address names a host). That listener checks the Host header like
 * the API does, so a page that rebinds its DNS name to this machine reads nothing.
 */
export function createMetricsEndpoint(deps: ApiDeps, knownHost: (req: IncomingMessage) => boolean): MetricsEndpoint {
  const storeMetrics = createStoreMetrics(deps);
  const scrape = () => scrapeMetrics(deps.db, storeMetrics);
  const address = deps.env.EVOSCOPE_METRICS_ADDRESS;
  let server: Server | null = null;

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '').split('?', 1)[0];
    if (!knownHost(req)) return res.writeHead(403).end('foreign Host header\n');
    if (path !== '/metrics') return res.writeHead(404).end('only /metrics is served here\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    try {
      const { contentType, text } = await scrape();
      res.writeHead(200, { 'Content-Type': contentType }).end(req.method === 'HEAD' ? undefined : text);
    } catch (err) {
      res.writeHead(503).end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  return {
    scrape,
    listen() {
      if (!address) return Promise.resolve(null);
      const listening = createServer((req, res) => void answer(req, res));
      server = listening;
      return new Promise((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(address.port, address.host, () => resolve((listening.address() as AddressInfo).port));
      });
    },
    async close() {
      const listening = server;
      if (!listening) return;
      listening.closeAllConnections();
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    },
  };
}
