import { z } from 'zod';

/**
 * What `npm start`'s supervisor (scripts/lib/supervisor.ts) shares about the services it runs:
 * written by it to a small JSON file, read by the API for /healthz, shown by the console.
 */
export const SupervisedServiceState = z.enum(['starting', 'running', 'restarting', 'stopped']);

export const SupervisedService = z.object({
  state: SupervisedServiceState,
  /** The current run's process id (null between runs). */
  pid: z.number().int().nullable(),
  /** Restarts after an unexpected exit, since the stack started. */
  restarts: z.number().int().min(0),
  last_restart_at: z.string().nullable(),
  /** How the last unexpected exit happened, e.g. "signal SIGKILL" or "exit code 1". */
  last_exit: z.string().nullable(),
});
export type SupervisedService = z.infer<typeof SupervisedService>;

export const SupervisorStatus = z.object({
  v: z.literal(1),
  supervisor_pid: z.number().int(),
  updated_at: z.string(),
  services: z.record(z.string(), SupervisedService),
});
export type SupervisorStatus = z.infer<typeof SupervisorStatus>;
