import { Router } from 'express';
import type { ScheduleService } from '../services/evolutionSchedule';
import type { EvolutionService } from '../services/evolutionService';
import { decidableRoutes } from './decidableRoutes';
import { handle } from './handle';

/** An empty or absent JSON body means "no options". */
const hasFields = (body: unknown): body is object => typeof body === 'object' && body !== null && Object.keys(body).length > 0;

/** The contract's meta, predictions and sandbox routes (plus change rules and version code). */
export function evolutionRoutes(evolution: EvolutionService, schedule: ScheduleService): Router {
  const r = Router();
  r.get(
    '/meta/components',
    handle(200, async () => ({ components: await evolution.listComponents() })),
  );
  r.get(
    '/meta/components/:component_id',
    handle(200, (req) => evolution.componentHistory(req.params.component_id)),
  );
  r.get(
    '/meta/components/:component_id/versions/:version',
    handle(200, (req) => evolution.componentVersion(req.params.component_id, req.params.version)),
  );
  r.get(
    '/meta/components/:component_id/diff/:version_a/:version_b',
    handle(200, (req) => evolution.diff(req.params.component_id, req.params.version_a, req.params.version_b, req.query.context)),
  );
  r.post(
    '/meta/components/:component_id/rollback/:version',
    handle(200, (req) =>
      evolution.rollback(req.params.component_id, req.params.version, hasFields(req.body) ? req.body : undefined),
    ),
  );
  r.get(
    '/meta/evolution/timeline',
    handle(200, async () => ({ timeline: await evolution.timeline() })),
  );
  r.get(
    '/meta/evolution/schedule',
    handle(200, () => schedule.describe()),
  );
  r.put(
    '/meta/evolution/schedule',
    handle(200, (req) => schedule.update(req.body)),
  );
  r.post(
    '/meta/evolution/schedule/run',
    handle(200, () => schedule.runNow()),
  );
  r.get(
    '/meta/change-rules',
    handle(200, () => evolution.changeRules()),
  );
  r.put(
    '/meta/change-rules',
    handle(200, (req) => evolution.updateChangeRules(req.body)),
  );
  r.get(
    '/system/predictions',
    handle(200, async () => ({ predictions: await evolution.predictions() })),
  );
  r.post(
    '/system/predictions/:prediction_id/execute',
    handle(202, (req) => evolution.executePrediction(req.params.prediction_id)),
  );
  decidableRoutes(r, '/sandbox/experiments', 'experiment_id', 'experiments', {
    list: () => evolution.experiments(),
    create: (body) => evolution.createExperiment(body),
    get: (id) => evolution.experiment(id),
    approve: (id, body) => evolution.approve(id, body),
    reject: (id, body) => evolution.reject(id, body),
  });
  return r;
}
