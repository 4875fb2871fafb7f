import WebSocket from 'ws';
import type { TestStack } from './stack';

/** Small HTTP/WebSocket helpers for driving the API the way a client would. */
export async function api<T = any>(
  stack: TestStack,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = stack.token,
) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // JSON answers are parsed; a text one (e.g. /metrics, Prometheus's format) is handed back as it came.
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, body: (text ? (json ? JSON.parse(text) : text) : null) as T };
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the turn has finished (its status is no longer running). */
export async function waitForTurn(stack: TestStack, turnId: string, timeoutMs = 60_000) {
  return waitUntil(
    `turn ${turnId}`,
    async () => {
      const turn = await stack.mongo.db.collection('turns').findOne({ _id: turnId as never });
      return turn && turn.status !== 'running' ? turn : null;
    },
    timeoutMs,
  );
}

export interface SocketRecorder {
  messages: any[];
  waitFor(predicate: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  send(data: unknown): void;
  close(): void;
  socket: WebSocket;
}

/** Opens a contract WebSocket channel and records everything it receives. */
export async function openChannel(stack: TestStack, path: string): Promise<SocketRecorder> {
  const socket = new WebSocket(`${stack.wsUrl}${path}${path.includes('?') ? '&' : '?'}token=${stack.token}`);
  const messages: any[] = [];
  socket.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    messages,
    socket,
    waitFor: (predicate, timeoutMs = 60_000) => waitUntil('a WebSocket message', async () => messages.find(predicate), timeoutMs),
    send: (data) => socket.send(JSON.stringify(data)),
    close: () => socket.close(),
  };
}
