import { z } from 'zod';
import { ServiceProblem, SupervisorStatus } from './supervisorStatus';

/**
 * What the health routes answer, without the token: GET /healthz/api (which API process answers,
 * so a console can tell it was restarted; always 200) and GET /healthz (that, plus whether
 * Temporal, MongoDB and a worker are reachable; 503 while anything is not in order).
 */
export const ApiIdentity = z.object({
  api: z.object({
    started_at: z
      .string()
      .describe('ISO 8601: when this API process started; a client that sees it change knows the API was restarted'),
  }),
  services: SupervisorStatus.shape.services
    .optional()
    .describe("Under `npm start`: each supervised service's state and restarts"),
  service_problems: z
    .array(ServiceProblem)
    .describe('Supervised services that are restarting, crash-looping, starting or stopped, and why (any one makes `ok` false)'),
});
export type ApiIdentity = z.infer<typeof ApiIdentity>;

export const HealthReport = ApiIdentity.extend({
  ok: z.boolean().describe('every dependency reachable, a worker polling and no service problem'),
  temporal: z.string().describe('"ok", or "unreachable: …"'),
  mongodb: z.string().describe('"ok", or "unreachable: …"'),
  worker: z.string().describe('"ok", "no worker is polling the task queue", or "unknown: Temporal is unreachable"'),
});
export type HealthReport = z.infer<typeof HealthReport>;
