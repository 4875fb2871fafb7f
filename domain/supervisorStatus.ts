import { z } from 'zod';

/**
 * What `npm start`'s supervisor (scripts/lib/supervisor.ts) shares about the services it runs:
 * written by it to a small JSON file, read by the API for /healthz, shown by the console.
 */
const SupervisedServiceState = z.enum(['starting', 'running', 'restarting', 'stopped']);

export const SupervisedService = z.object({
  state: SupervisedServiceState,
  /** The current run's process id (null between runs). */
  pid: z.number().int().nullable(),
  /** Restarts after an unexpected exit, since the stack started. */
  restarts: z.number().int().min(0),
  last_restart_at: z.string().nullable(),
  /** How the last unexpected exit happened, e.g. "signal SIGKILL" or "exit code 1". */
  last_exit: z.string().nullable(),
  /** When the restarts inside the crash-loop window happened (ISO, oldest first); absent from older supervisors. */
  recent_restarts: z.array(z.string()).optional(),
});
export type SupervisedService = z.infer<typeof SupervisedService>;

export const SupervisorStatus = z.object({
  v: z.literal(1),
  supervisor_pid: z.number().int(),
  updated_at: z.string(),
  services: z.record(z.string(), SupervisedService),
});
export type SupervisorStatus = z.infer<typeof SupervisorStatus>;

/** A service restarted this often inside the window is crash-looping, even while a run is up. */
export const CRASH_LOOP_WINDOW_MS = 10 * 60_000;
const CRASH_LOOP_RESTARTS = 3;

export const ServiceProblem = z.object({ service: z.string(), why: z.string() });
export type ServiceProblem = z.infer<typeof ServiceProblem>;

/** The restarts of a service inside the crash-loop window before `now`. */
export const restartsInWindow = (service: Pick<SupervisedService, 'recent_restarts'>, now: number): string[] =>
  (service.recent_restarts ?? []).filter((at) => now - Date.parse(at) < CRASH_LOOP_WINDOW_MS);

/**
 * Which supervised services are not in working order, and why: one that is not running (starting,
 * restarting, stopped), or that is running but was restarted CRASH_LOOP_RESTARTS times inside the
 * window (it keeps dying soon after it comes up). Pure: /healthz and the console both decide with it.
 */
export function serviceProblems(services: Record<string, SupervisedService>, now: number): ServiceProblem[] {
  return Object.entries(services).flatMap(([service, s]): ServiceProblem[] => {
    const recent = restartsInWindow(s, now).length;
    const lastExit = s.last_exit ?? 'an unexpected exit';
    const history = `${recent} restart${recent === 1 ? '' : 's'} in the last ${CRASH_LOOP_WINDOW_MS / 60_000} min, ${s.restarts} in all`;
    if (s.state === 'restarting' || (s.state === 'starting' && s.restarts > 0)) {
      return [{ service, why: `restarting after ${lastExit} (${history})` }];
    }
    if (s.state === 'starting') return [{ service, why: 'starting' }];
    if (s.state === 'stopped') return [{ service, why: `stopped${s.last_exit ? ` (last exit: ${s.last_exit})` : ''}` }];
    if (recent >= CRASH_LOOP_RESTARTS) return [{ service, why: `crash-looping: ${history}; last exit ${lastExit}` }];
    return [];
  });
}
