import { Router } from 'express';
import type { TeachingService } from '../services/teachingService';
import { handle } from './handle';

/** Marking answers (chat) and the taught suites they make (evolution); the same service as GraphQL. */
export function teachingRoutes(teaching: TeachingService): Router {
  const r = Router();
  r.post(
    '/chat/:session_id/messages/:message_id/feedback',
    handle(201, (req) => teaching.markAnswer(req.params.session_id, req.params.message_id, req.body)),
  );
  r.get(
    '/meta/evolution/taught',
    handle(200, async () => ({ cases: await teaching.taughtCases() })),
  );
  return r;
}
