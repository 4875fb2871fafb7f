import { chatRoutes } from './chatRoutes';
import { componentRoutes } from './componentRoutes';
import { evolutionRoutes } from './evolutionRoutes';
import { executionRoutes } from './executionRoutes';
import { experimentRoutes } from './experimentRoutes';
import { generationRoutes } from './generationRoutes';
import { predictionRoutes } from './predictionRoutes';
import { metricsRoutes } from './metricsRoutes';
import { systemRoutes } from './systemRoutes';
import { teachingRoutes } from './teachingRoutes';
import type { RouteDeclaration } from './routeDeclaration';

/** Every REST route, in the order express registers them and the OpenAPI document lists them. */
export const API_ROUTES: readonly RouteDeclaration[] = [
  ...chatRoutes,
  ...teachingRoutes,
  ...executionRoutes,
  ...componentRoutes,
  ...evolutionRoutes,
  ...generationRoutes,
  ...systemRoutes,
  ...predictionRoutes,
  ...experimentRoutes,
  ...metricsRoutes,
];
