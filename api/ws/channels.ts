import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { chatStream, executionStream, META_STREAM } from '../../domain/events';
import { lastSeq } from '../../store/eventLog';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import type { ChatService } from '../services/chatService';
import type { SystemService } from '../services/systemService';
import type { EvolutionService } from '../services/evolutionService';

const CHANNEL = /^\/ws\/(chat|execution)\/([A-Za-z0-9:_.-]{1,200})$|^\/ws\/(meta)$/;
const ClientMessage = z.object({ content: z.string() }).passthrough();

export type Channel = { kind: 'chat' | 'execution'; sessionId: string } | { kind: 'meta' };

export function matchChannel(pathname: string): Channel | null {
  const m = CHANNEL.exec(pathname);
  if (!m) return null;
  return m[3] ? { kind: 'meta' } : { kind: m[1] as 'chat' | 'execution', sessionId: m[2] };
}

const send = (ws: WebSocket, message: unknown) => {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
};

/**
 * The contract's three WebSocket channels: `initial_state` first, then live events
 * (`?after_seq=` resumes a stream without loss or duplicates).
 */
export function createChannelServer(deps: ApiDeps, chat: ChatService, system: SystemService, evolution: EvolutionService) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  async function pump(ws: WebSocket, stream: string, afterSeq: number, wrap: (data: unknown, seq: number) => unknown, signal: AbortSignal) {
    for await (const event of deps.feed.subscribe(stream, afterSeq, signal)) send(ws, wrap(event.data, event.seq));
  }

  async function open(ws: WebSocket, channel: Channel, req: IncomingMessage) {
    const abort = new AbortController();
    ws.on('close', () => abort.abort());
    const requested = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('after_seq'));
    const after = (stream: string) => (Number.isInteger(requested) && requested > 0 ? Promise.resolve(requested) : lastSeq(deps.db, stream));

    if (channel.kind === 'meta') {
      const seq = await after(META_STREAM);
      // The timeline is read up to `seq`, so it and the live events that follow neither overlap nor leave a gap.
      const timeline = (await evolution.timeline()).filter((e) => e.seq <= seq);
      send(ws, { type: 'initial_state', data: { metrics: await system.systemMetrics(), autonomy_level: await system.autonomyLevel(), timeline, last_seq: seq } });
      return pump(ws, META_STREAM, seq, (data, s) => ({ type: 'meta_event', seq: s, data }), abort.signal);
    }
    const session = await chat.requireSession(channel.sessionId);
    if (channel.kind === 'chat') {
      const seq = await after(chatStream(session.id));
      send(ws, { type: 'initial_state', data: { session, ...(await chat.chatHistory(session.id)), last_seq: seq } });
      ws.on('message', (raw) => void postFromSocket(ws, session.id, raw.toString()));
      return pump(ws, chatStream(session.id), seq, (data, s) => ({ type: 'chat_event', session_id: session.id, seq: s, data }), abort.signal);
    }
    const graph = await chat.getGraph(session.id);
    const seq = Number.isInteger(requested) && requested > 0 ? requested : graph.last_seq;
    send(ws, { type: 'initial_state', data: graph });
    return pump(ws, executionStream(session.id), seq, (data, s) => ({ type: 'execution_event', session_id: session.id, seq: s, data }), abort.signal);
  }

  async function postFromSocket(ws: WebSocket, sessionId: string, raw: string) {
    try {
      const parsed = ClientMessage.safeParse(JSON.parse(raw));
      if (!parsed.success) throw new ApiError(400, 'BAD_USER_INPUT', 'expected {"content": "…"}');
      const sent = await chat.sendMessage(sessionId, { content: parsed.data.content });
      send(ws, { type: 'message_received', message_id: sent.message_id, node_id: sent.node_id });
    } catch (err) {
      send(ws, { type: 'error', message: err instanceof ApiError ? err.message : err instanceof SyntaxError ? 'message is not valid JSON' : 'internal error' });
    }
  }

  wss.on('connection', (ws: WebSocket, req: IncomingMessage, channel: Channel) => {
    open(ws, channel, req).catch((err) => {
      send(ws, { type: 'error', message: err instanceof ApiError ? err.message : 'internal error' });
      ws.close(err instanceof ApiError ? 4404 : 1011);
    });
  });
  return wss;
}
