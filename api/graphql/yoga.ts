import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, YogaInitialContext } from 'graphql-yoga';
import type { ApiDeps } from '../deps';
import { createChatService } from '../services/chatService';
import { createEvolutionService } from '../services/evolutionService';
import { createScheduleService } from '../services/evolutionSchedule';
import { createGenerationService } from '../services/generationService';
import { createSystemService } from '../services/systemService';
import { createTeachingService } from '../services/teachingService';
import type { GraphQLContext } from './builder';
import { schema } from './schema';

/** graphql-yoga over the Pothos schema, with depth/cost limits; unexpected errors are masked. */
export function createGraphQL(deps: ApiDeps) {
  const chat = createChatService(deps);
  const system = createSystemService(deps);
  const evolution = createEvolutionService(deps);
  const schedule = createScheduleService(deps);
  const generation = createGenerationService(deps);
  const teaching = createTeachingService(deps);
  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { subscriptionsProtocol: 'WS', title: 'Evoscope GraphQL' },
    landingPage: false,
    maskedErrors: true,
    plugins: [
      EnvelopArmorPlugin({ maxDepth: { n: 8 }, costLimit: { maxCost: 5000 }, maxAliases: { n: 15 }, maxTokens: { n: 2000 } }),
    ],
    context: (initial: YogaInitialContext & { signal?: AbortSignal }) => ({
      chat,
      system,
      evolution,
      schedule,
      generation,
      teaching,
      deps,
      signal: initial.signal ?? initial.request?.signal,
    }),
  });
  return { yoga, chat, system, evolution, schedule, generation, teaching };
}
