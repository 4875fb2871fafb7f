import type { ApiDeps } from '../deps';
import { createMetricsService, type MetricsService } from '../metrics/metricsService';
import { createChatService, type ChatService } from './chatService';
import { createScheduleService, type ScheduleService } from './evolutionSchedule';
import { createEvolutionService, type EvolutionService } from './evolutionService';
import { createGenerationService, type GenerationService } from './generationService';
import { createSystemService, type SystemService } from './systemService';
import { createTeachingService, type TeachingService } from './teachingService';

/** The use cases, created once per API process and shared by REST, GraphQL and the WebSocket channels. */
export interface ApiServices {
  chat: ChatService;
  system: SystemService;
  evolution: EvolutionService;
  schedule: ScheduleService;
  generation: GenerationService;
  teaching: TeachingService;
  metrics: MetricsService;
}

export function createApiServices(deps: ApiDeps): ApiServices {
  return {
    chat: createChatService(deps),
    system: createSystemService(deps),
    evolution: createEvolutionService(deps),
    schedule: createScheduleService(deps),
    generation: createGenerationService(deps),
    teaching: createTeachingService(deps),
    metrics: createMetricsService(deps),
  };
}
