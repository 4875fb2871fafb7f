import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import {
  ChannelError,
  ChatEventMessage,
  ChatInitialState,
  ExecutionEventMessage,
  ExecutionInitialState,
  MessageReceived,
  MetaEventMessage,
  MetaInitialState,
} from '../../domain/channels';
import {
  chatStream,
  executionStream,
  META_STREAM,
  type ChatEventData,
  type ExecutionEventData,
  type StoredEvent,
} from '../../domain/events';
import { metaEvent } from '../../domain/meta';
import { lastSeq } from '../../store/eventLog';
import type { ApiDeps } from '../deps';
import { requestUrl } from '../auth';
import { ApiError } from '../errors';
import { sendChecked } from './channelSend';
import { CloseCode, closeWith, guardServer, guardSocket, onJsonMessages, refuseMessages, type SocketLimits } from './socketGuard';
import type { ApiServices } from '../services/apiServices';

const CHANNEL = /^\/ws\/(chat|execution)\/([A-Za-z0-9:_.-]{1,200})$|^\/ws\/(meta)$/;
const ClientMessage = z.object({ content: z.string() }).passthrough();
/** Each chat message starts a turn; a person (or a well-behaved script) sends far fewer than this. */
export const CHANNEL_LIMITS: SocketLimits = { maxPayloadBytes: 64 * 1024, burst: 10, perSecond: 2 };
/** A refusal the client caused (an unknown session: 404) closes the socket with 4000 + its HTTP status. */
const closeCodeFor = (err: ApiError) => 4000 + err.status;

export type Channel = { kind: 'chat' | 'execution'; sessionId: string } | { kind: 'meta' };

export function matchChannel(pathname: string): Channel | null {
  const m = CHANNEL.exec(pathname);
  if (!m) return null;
  return m[3] ? { kind: 'meta' } : { kind: m[1] as 'chat' | 'execution', sessionId: m[2] };
}

/**
 * The contract's three WebSocket channels: `initial_state` first, then live events
 * (`?after_seq=` resumes a stream without loss or duplicates).
 */
export function createChannelServer(deps: ApiDeps, { chat, system, evolution }: ApiServices) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: CHANNEL_LIMITS.maxPayloadBytes });
  guardServer(wss, 'ws channels');

  /** Sends each stored event of `stream` after `afterSeq`, wrapped as the channel's `schema` message. */
  async function pump<S extends z.ZodType>(
    ws: WebSocket,
    stream: string,
    afterSeq: number,
    schema: S,
    wrap: (event: StoredEvent) => z.input<S>,
    signal: AbortSignal,
  ) {
    for await (const event of deps.feed.subscribe(stream, afterSeq, signal)) sendChecked(ws, schema, wrap(event));
  }

  async function open(ws: WebSocket, channel: Channel, req: IncomingMessage) {
    const abort = new AbortController();
    ws.on('close', () => abort.abort());
    // A client that reconnects resumes after the last event it saw; a new one starts after the initial state.
    const requested = Number(requestUrl(req)?.searchParams.get('after_seq'));
    const resumeAfter = Number.isInteger(requested) && requested > 0 ? requested : null;
    const after = (stream: string) => (resumeAfter !== null ? Promise.resolve(resumeAfter) : lastSeq(deps.db, stream));

    if (channel.kind === 'meta') {
      const seq = await after(META_STREAM);
      // The timeline is read up to `seq`, so it and the live events that follow neither overlap nor leave a gap.
      const timeline = (await evolution.timeline()).filter((e) => e.seq <= seq);
      sendChecked(ws, MetaInitialState, {
        type: 'initial_state',
        data: { metrics: await system.systemMetrics(), autonomy_level: await system.autonomyLevel(), timeline, last_seq: seq },
      });
      return pump(
        ws,
        META_STREAM,
        seq,
        MetaEventMessage,
        (event) => ({ type: 'meta_event' as const, seq: event.seq, data: metaEvent(event) }),
        abort.signal,
      );
    }
    const session = await chat.requireSession(channel.sessionId);
    // A session's streams hold what store/emit.ts wrote to them (ChatEventData, ExecutionEventData); `sendChecked` checks each.
    if (channel.kind === 'chat') {
      const seq = await after(chatStream(session.id));
      const history = await chat.chatHistory(session.id);
      sendChecked(ws, ChatInitialState, {
        type: 'initial_state',
        data: { session: { ...session, messages: history.messages }, ...history, last_seq: seq },
      });
      return pump(
        ws,
        chatStream(session.id),
        seq,
        ChatEventMessage,
        (event) => ({ type: 'chat_event' as const, session_id: session.id, seq: event.seq, data: event.data as ChatEventData }),
        abort.signal,
      );
    }
    const graph = await chat.getGraph(session.id);
    sendChecked(ws, ExecutionInitialState, { type: 'initial_state', data: graph });
    return pump(
      ws,
      executionStream(session.id),
      resumeAfter ?? graph.last_seq,
      ExecutionEventMessage,
      (event) => ({
        type: 'execution_event' as const,
        session_id: session.id,
        seq: event.seq,
        data: event.data as ExecutionEventData,
      }),
      abort.signal,
    );
  }

  /** Channels also say why in an `error` message before they close, for clients that ignore close reasons. */
  function refuse(ws: WebSocket, code: number, reason: string) {
    sendChecked(ws, ChannelError, { type: 'error', message: reason });
    closeWith(ws, code, reason);
  }

  async function postFromSocket(ws: WebSocket, sessionId: string, message: unknown) {
    const parsed = ClientMessage.safeParse(message);
    if (!parsed.success) return refuse(ws, CloseCode.Policy, 'expected {"content": "…"}');
    try {
      const sent = await chat.sendMessage(sessionId, { content: parsed.data.content });
      sendChecked(ws, MessageReceived, { type: 'message_received', message_id: sent.message_id, node_id: sent.node_id });
    } catch (err) {
      // A refused message (empty, too long) is answered and the socket stays open.
      if (!(err instanceof ApiError)) console.error(`ws chat ${sessionId}: posting a message failed:`, err);
      sendChecked(ws, ChannelError, { type: 'error', message: err instanceof ApiError ? err.message : 'internal error' });
    }
  }

  wss.on('connection', (ws: WebSocket, req: IncomingMessage, channel: Channel) => {
    guardSocket(ws, CHANNEL_LIMITS, `ws ${channel.kind}`);
    // Listening from the first moment: a frame sent before initial_state is judged like any other.
    if (channel.kind === 'chat')
      onJsonMessages(ws, CHANNEL_LIMITS, (message) => void postFromSocket(ws, channel.sessionId, message), refuse);
    else refuseMessages(ws, `/ws/${channel.kind}`, refuse);
    open(ws, channel, req).catch((err) => {
      if (err instanceof ApiError) return refuse(ws, closeCodeFor(err), err.message);
      console.error(`ws ${channel.kind}: opening the channel failed:`, err);
      refuse(ws, CloseCode.Internal, 'internal error');
    });
  });
  return wss;
}
