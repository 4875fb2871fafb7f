import { z } from 'zod';
import { AutonomyLevel } from '../../domain/enums';
import { SystemMetrics } from '../../domain/meta';
import { SystemActivity } from '../../domain/systemActivity';
import { ModelConnectionTest, ModelSettingsInput, ModelSettingsView } from '../../domain/modelSettings';
import { declareRoute } from './routeDeclaration';

const Level = z.object({ level: AutonomyLevel });

/** The system's metrics, its autonomy level and the model it calls. */
export const systemRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/system/metrics',
    summary: "System metrics (the spec's, plus run figures under `runs`)",
    tag: 'system',
    spec: true,
    status: 200,
    response: SystemMetrics,
    handle: (_req, { system }) => system.systemMetrics(),
  }),
  declareRoute({
    method: 'get',
    path: '/api/system/activity',
    summary: 'The last hour minute by minute: turns finished, failures, p50 and p99 turn time',
    tag: 'system',
    status: 200,
    response: SystemActivity,
    handle: (_req, { system }) => system.systemActivity(),
  }),
  declareRoute({
    method: 'post',
    path: '/api/system/autonomy/level',
    summary: 'Set the autonomy level',
    tag: 'system',
    spec: true,
    body: Level,
    status: 200,
    response: Level,
    handle: async ({ body }, { system }) => ({
      level: await system.setAutonomyLevel((body as { level?: unknown } | undefined)?.level),
    }),
  }),
  declareRoute({
    method: 'get',
    path: '/api/system/autonomy/level',
    summary: 'The autonomy level',
    tag: 'system',
    status: 200,
    response: Level,
    handle: async (_req, { system }) => ({ level: await system.autonomyLevel() }),
  }),
  declareRoute({
    method: 'get',
    path: '/api/system/model',
    summary: 'The model settings (the key is never returned)',
    tag: 'system',
    status: 200,
    response: ModelSettingsView,
    handle: (_req, { system }) => system.modelSettings(),
  }),
  declareRoute({
    method: 'put',
    path: '/api/system/model',
    summary: 'Change the model settings (a stored key is bound to its base_url: a new base_url without a new api_key clears it)',
    tag: 'system',
    body: ModelSettingsInput,
    status: 200,
    response: ModelSettingsView,
    handle: ({ body }, { system }) => system.updateModelSettings(body),
  }),
  declareRoute({
    method: 'post',
    path: '/api/system/model/test',
    summary: 'Call the configured model once',
    tag: 'system',
    status: 200,
    response: ModelConnectionTest,
    handle: (_req, { system }) => system.testModelConnection(),
  }),
];
