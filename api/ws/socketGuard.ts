import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Duplex } from 'node:stream';

/**
 * What every WebSocket of the API (the /ws channels and graphql-ws) does with hostile input:
 * the offending socket is closed with a standard code and a reason, nothing else is touched,
 * and no input reaches an unhandled `'error'` event (which would end the process).
 *
 * - 1009: a frame larger than the server's limit (ws refuses it before buffering it whole);
 * - 1007: a frame that is not what the channel reads: invalid UTF-8, not JSON, or binary;
 * - 1008: a policy violation: a message a channel does not take, or a flood of messages.
 */
export const CloseCode = {
  Protocol: 1002,
  InvalidPayload: 1007,
  Policy: 1008,
  TooBig: 1009,
  Internal: 1011,
} as const;

export interface SocketLimits {
  /** The server's `maxPayload`, named in the 1009 reason. */
  maxPayloadBytes: number;
  /** Token bucket per socket: this many messages at once, refilled at `perSecond`. */
  burst: number;
  perSecond: number;
}

/**
 * On a protocol error (oversized frame, invalid UTF-8, bad framing) ws closes the socket itself
 * with the code only, and emits `'error'` afterwards. Whoever listens for that error can no longer
 * add a reason, so the reason is supplied where ws calls `close`.
 */
function protocolReasons(limits: SocketLimits): Record<number, string> {
  return {
    [CloseCode.TooBig]: `message too big: the limit is ${limits.maxPayloadBytes} bytes`,
    [CloseCode.InvalidPayload]: 'text message is not valid UTF-8',
    [CloseCode.Protocol]: 'WebSocket protocol error',
  };
}

/** Attaches the error handling every accepted socket needs; call it first thing on 'connection'. */
export function guardSocket(ws: WebSocket, limits: SocketLimits, label: string): void {
  const reasons = protocolReasons(limits);
  const close = ws.close.bind(ws);
  ws.close = (code?: number, reason?: string | Buffer) => close(code, reason ?? (code === undefined ? undefined : reasons[code]));
  // The close frame is already on its way (see above); what remains is to keep the error from
  // ending the process and to say what happened.
  ws.on('error', (err: Error & { code?: string }) =>
    console.warn(`${label}: socket closed on ${err.code ?? err.name}: ${err.message}`),
  );
}

/** The server-level counterpart: a WebSocketServer that emits 'error' must not end the process. */
export function guardServer(wss: WebSocketServer, label: string): void {
  wss.on('error', (err) => console.error(`${label}: WebSocket server error:`, err));
  wss.on('wsClientError', (err, socket) => {
    console.warn(`${label}: refused a bad handshake: ${err.message}`);
    socket.destroy();
  });
}

function createFloodLimit(limits: SocketLimits): () => boolean {
  let tokens = limits.burst;
  let refilledAt = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(limits.burst, tokens + ((now - refilledAt) / 1000) * limits.perSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** A closing reason fits a control frame (123 bytes); ours are short, this keeps it so. */
const fitReason = (reason: string) => (Buffer.byteLength(reason) <= 123 ? reason : `${reason.slice(0, 110)}…`);

export function closeWith(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, fitReason(reason));
}

/** How a socket is closed on bad input: by default just the close frame; a channel may say more first. */
export type Refuse = (ws: WebSocket, code: number, reason: string) => void;

/**
 * Reads text frames holding JSON: a binary frame or a frame that is not JSON closes the socket
 * with 1007, more messages than the flood limit with 1008; each valid message goes to `receive`.
 * `receive` may close the socket itself (e.g. with 1008 for a message of the wrong shape).
 */
export function onJsonMessages(
  ws: WebSocket,
  limits: SocketLimits,
  receive: (message: unknown, raw: string) => void,
  refuse: Refuse = closeWith,
): void {
  const allowed = createFloodLimit(limits);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (ws.readyState !== ws.OPEN) return; // already closing: later frames are not read
    if (!allowed())
      return refuse(
        ws,
        CloseCode.Policy,
        `too many messages: at most ${limits.perSecond} per second (bursts of ${limits.burst})`,
      );
    if (isBinary) return refuse(ws, CloseCode.InvalidPayload, 'binary frames are not accepted: send JSON as a text frame');
    const raw = textOf(data);
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return refuse(ws, CloseCode.InvalidPayload, 'message is not valid JSON');
    }
    receive(message, raw);
  });
}

/** For a channel that only pushes: any message from the client is a policy violation. */
export function refuseMessages(ws: WebSocket, what: string, refuse: Refuse = closeWith): void {
  ws.on('message', () => {
    if (ws.readyState === ws.OPEN) refuse(ws, CloseCode.Policy, `${what} accepts no messages from the client`);
  });
}

/**
 * Answers an upgrade request we do not accept (unknown path, missing token) with a plain HTTP
 * error. Node hands the raw socket over without an error listener, so one is added first: a
 * client that resets the connection must not end the process.
 */
export function refuseUpgrade(socket: Duplex, status: keyof typeof STATUS_TEXT, code: string, message: string): void {
  socket.on('error', () => socket.destroy());
  const body = JSON.stringify({ error: code, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const;

/** A text frame's content: ws hands one Buffer by default, a list of fragments or an ArrayBuffer when configured so. */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
