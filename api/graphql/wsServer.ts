import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { handleProtocols, makeServer } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { tokensMatch } from '../auth';
import { CloseCode, closeWith, guardServer, guardSocket, onJsonMessages, type SocketLimits } from '../ws/socketGuard';
import type { createGraphQL } from './yoga';

type Yoga = ReturnType<typeof createGraphQL>;
/** What this server uses of yoga's envelope (whose own typing leaves these `any`). */
interface Enveloped {
  schema: GraphQLSchema;
  execute: EnvelopedRoot['execute'];
  subscribe: EnvelopedRoot['subscribe'];
  contextFactory: () => unknown;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}
interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
}

/**
 * The console opens a dozen subscriptions at once and pings every 10 s; a client sending
 * more than this is broken or hostile.
 */
export const GRAPHQL_WS_LIMITS: SocketLimits = { maxPayloadBytes: 256 * 1024, burst: 100, perSecond: 20 };
/** A socket whose peer does not answer a ping within this time is dropped (and its subscriptions end). */
const KEEPALIVE_MS = 12_000;

/**
 * graphql-ws on the same schema and plugins as HTTP (yoga's recipe). The token comes in
 * `connectionParams.token` (or `?token=` on the URL); a wrong one closes the socket with 4403.
 *
 * The socket adapter is ours rather than graphql-ws's `useServer`, so that a frame is judged
 * (size, binary, JSON, flood: see ../ws/socketGuard.ts) before graphql-ws reads it; the
 * protocol's own refusals (4400 for a message that is not a graphql-ws message, 4401, 4403,
 * 4409, 4429) are graphql-ws's.
 */
export function attachGraphQLWs(wss: WebSocketServer, yoga: Yoga, token: string, urlToken: (req: unknown) => string | null) {
  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    onConnect: (ctx) => tokensMatch(token, (ctx.connectionParams?.token as string | undefined) ?? urlToken(ctx.extra.request)),
    execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
    subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
    onSubscribe: async (ctx, _id, params) => {
      const abort = new AbortController();
      ctx.extra.socket.once('close', () => abort.abort());
      const enveloped: Enveloped = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        params,
        signal: abort.signal,
      });
      const { schema, execute, subscribe, contextFactory, parse, validate } = enveloped;
      let document: DocumentNode;
      try {
        document = parse(params.query);
      } catch (err) {
        // A query that does not parse is that operation's error, not the connection's.
        if (err instanceof GraphQLError) return [err];
        throw err;
      }
      const args = {
        schema,
        operationName: params.operationName,
        document,
        variableValues: params.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe },
      };
      const errors = validate(args.schema, args.document);
      if (errors.length) return errors;
      return args;
    },
  });

  wss.options.handleProtocols = handleProtocols;
  guardServer(wss, 'graphql-ws');
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    guardSocket(socket, GRAPHQL_WS_LIMITS, 'graphql-ws');
    let deliver: ((data: string) => Promise<void>) | undefined;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => closeWith(socket, code ?? CloseCode.Internal, reason ?? 'closed'),
        onMessage: (cb) => (deliver = cb),
      },
      { socket, request },
    );
    onJsonMessages(socket, GRAPHQL_WS_LIMITS, (_message, raw) => {
      // Resolves when the operation ends (a subscription: when it completes), so it is not awaited here.
      deliver?.(raw).catch((err) => {
        console.error('graphql-ws: handling a message failed:', err);
        closeWith(socket, CloseCode.Internal, 'internal server error');
      });
    });

    let answered = true;
    socket.on('pong', () => (answered = true));
    const keepAlive = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, KEEPALIVE_MS);
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      void closed(code, reason.toString());
    });
  });

  return {
    async dispose() {
      for (const client of wss.clients) closeWith(client, 1001, 'server going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
