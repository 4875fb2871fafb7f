import { Router } from 'express';
import type { GenerationService } from '../services/generationService';
import { decidableRoutes } from './decidableRoutes';
import { handle } from './handle';

/** Generated tools: request one, read them, accept (or edit) a draft's suite, approve or reject it. */
export function generationRoutes(generation: GenerationService): Router {
  const r = Router();
  decidableRoutes(r, '/meta/generated-tools', 'generation_id', 'generated_tools', {
    list: () => generation.list(),
    create: (body) => generation.generate(body),
    get: (id) => generation.get(id),
    approve: (id, body) => generation.answer(id, body, true),
    reject: (id, body) => generation.answer(id, body, false),
  });
  r.post(
    '/meta/generated-tools/:generation_id/accept-suite',
    handle(200, (req) => generation.acceptSuite(req.params.generation_id, req.body)),
  );
  return r;
}
