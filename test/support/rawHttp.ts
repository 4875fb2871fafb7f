import { randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * HTTP exactly as an attacker sends it: the request target is sent as given (no URL normalising),
 * any `Host` may be claimed, and a streaming answer (server-sent events) is cut after its first
 * bytes instead of being read to the end.
 */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, or its first chunk for a stream. */
  body: string;
}

/** A request to the server at baseUrl for exactly `target`. */
function requestTo(baseUrl: string, target: string, options: http.RequestOptions): http.ClientRequest {
  const { hostname, port } = new URL(baseUrl);
  return http.request({ hostname, port, path: target, ...options });
}

export function rawRequest(
  baseUrl: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; withoutHost?: boolean } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = requestTo(baseUrl, target, {
      method: options.method ?? 'GET',
      headers: options.headers,
      setHost: !options.withoutHost,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const streaming = String(res.headers['content-type']).startsWith('text/event-stream');
      const chunks: Buffer[] = [];
      const answer = () => ({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!streaming) return;
        resolve(answer());
        req.destroy();
      });
      res.on('end', () => resolve(answer()));
      res.on('error', () => resolve(answer()));
    });
    req.end(options.body);
  });
}

/** A WebSocket handshake: 101 when the server accepts it, otherwise the status it refused with. */
export function upgradeStatus(baseUrl: string, target: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = requestTo(baseUrl, target, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.end();
  });
}
