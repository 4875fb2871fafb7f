import { Router } from 'express';
import type { GenerationService } from '../services/generationService';
import { handle } from './handle';

/** Generated tools: request one, read them, accept (or edit) a draft's suite, approve or reject it. */
export function generationRoutes(generation: GenerationService): Router {
  const r = Router();
  r.get(
    '/meta/generated-tools',
    handle(200, async () => ({ generated_tools: await generation.list() })),
  );
  r.post(
    '/meta/generated-tools',
    handle(202, (req) => generation.generate(req.body)),
  );
  r.get(
    '/meta/generated-tools/:generation_id',
    handle(200, (req) => generation.get(req.params.generation_id)),
  );
  r.post(
    '/meta/generated-tools/:generation_id/accept-suite',
    handle(200, (req) => generation.acceptSuite(req.params.generation_id, req.body)),
  );
  r.post(
    '/meta/generated-tools/:generation_id/approve',
    handle(200, (req) => generation.answer(req.params.generation_id, req.body, true)),
  );
  r.post(
    '/meta/generated-tools/:generation_id/reject',
    handle(200, (req) => generation.answer(req.params.generation_id, req.body, false)),
  );
  return r;
}
