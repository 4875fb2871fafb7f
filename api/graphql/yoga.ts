import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, YogaInitialContext } from 'graphql-yoga';
import type { ApiDeps } from '../deps';
import type { ApiServices } from '../services/apiServices';
import type { GraphQLContext } from './builder';
import { schema } from './schema';

/** graphql-yoga over the Pothos schema, with depth/cost limits; unexpected errors are masked. */
export function createGraphQL(deps: ApiDeps, services: ApiServices) {
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // The API serves GraphiQL's page itself (./graphiqlPage.ts) and decides CORS (../http/corsAllowList.ts):
    // yoga's page loads from a CDN, and yoga's CORS echoes any Origin with credentials.
    graphiql: false,
    cors: false,
    landingPage: false,
    maskedErrors: true,
    plugins: [
      EnvelopArmorPlugin({ maxDepth: { n: 8 }, costLimit: { maxCost: 5000 }, maxAliases: { n: 15 }, maxTokens: { n: 2000 } }),
    ],
    context: (initial: YogaInitialContext & { signal?: AbortSignal }) => ({
      ...services,
      deps,
      signal: initial.signal ?? initial.request?.signal,
    }),
  });
}
