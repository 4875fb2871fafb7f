import SchemaBuilder from '@pothos/core';
import type { ChatService } from '../services/chatService';
import type { SystemService } from '../services/systemService';
import type { EvolutionService } from '../services/evolutionService';
import type { ScheduleService } from '../services/evolutionSchedule';
import type { GenerationService } from '../services/generationService';
import type { TeachingService } from '../services/teachingService';
import type { ApiDeps } from '../deps';

export interface GraphQLContext {
  chat: ChatService;
  system: SystemService;
  evolution: EvolutionService;
  schedule: ScheduleService;
  generation: GenerationService;
  teaching: TeachingService;
  deps: ApiDeps;
  /** Aborted when the client goes away, so subscriptions stop reading. */
  signal?: AbortSignal;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
