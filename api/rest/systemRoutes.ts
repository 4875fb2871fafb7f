import { Router } from 'express';
import type { SystemService } from '../services/systemService';
import { handle } from './handle';

export function systemRoutes(system: SystemService): Router {
  const r = Router();
  r.get(
    '/system/metrics',
    handle(200, () => system.systemMetrics()),
  );
  r.post(
    '/system/autonomy/level',
    handle(200, async (req) => ({ level: await system.setAutonomyLevel((req.body as { level?: unknown } | undefined)?.level) })),
  );
  r.get(
    '/system/autonomy/level',
    handle(200, async () => ({ level: await system.autonomyLevel() })),
  );
  r.get(
    '/system/model',
    handle(200, () => system.modelSettings()),
  );
  r.put(
    '/system/model',
    handle(200, (req) => system.updateModelSettings(req.body)),
  );
  r.post(
    '/system/model/test',
    handle(200, () => system.testModelConnection()),
  );
  return r;
}
