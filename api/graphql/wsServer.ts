import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import { tokensMatch } from '../auth';
import type { createGraphQL } from './yoga';

type Yoga = ReturnType<typeof createGraphQL>['yoga'];
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/**
 * graphql-ws on the same schema and plugins as HTTP (yoga's recipe). The token comes in
 * `connectionParams.token` (or `?token=` on the URL); a wrong one closes the socket with 4403.
 */
export function attachGraphQLWs(wss: WebSocketServer, yoga: Yoga, token: string, urlToken: (req: unknown) => string | null) {
  return useServer(
    {
      onConnect: (ctx) => tokensMatch(token, (ctx.connectionParams?.token as string | undefined) ?? urlToken(ctx.extra.request)),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const abort = new AbortController();
        ctx.extra.socket.once('close', () => abort.abort());
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, signal: abort.signal,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
}
