import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env } from '../../domain/server/env';
import type { MetricsService } from './metricsService';

export interface MetricsListener {
  /** Listens on EVOSCOPE_METRICS_ADDRESS, if set; answers its port. */
  listen(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * /metrics on a listener of its own for a Prometheus that holds no token (EVOSCOPE_METRICS_ADDRESS,
 * loopback unless the address names a host). It serves nothing else, and checks the Host header
 * like the API does, so a page that rebinds its DNS name to this machine reads nothing.
 */
export function createMetricsListener(
  env: Pick<Env, 'EVOSCOPE_METRICS_ADDRESS'>,
  metrics: MetricsService,
  knownHost: (req: IncomingMessage) => boolean,
): MetricsListener {
  const address = env.EVOSCOPE_METRICS_ADDRESS;
  let server: Server | null = null;

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? '').split('?', 1)[0];
    if (!knownHost(req)) return res.writeHead(403).end('foreign Host header\n');
    if (path !== '/metrics') return res.writeHead(404).end('only /metrics is served here\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    try {
      const { contentType, text } = await metrics.scrape();
      res.writeHead(200, { 'Content-Type': contentType }).end(req.method === 'HEAD' ? undefined : text);
    } catch (err) {
      res.writeHead(503).end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  return {
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
