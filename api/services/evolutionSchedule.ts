import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { EVOLUTION_SWEEP_SCHEDULE_ID } from '../../domain/evolution';
import type { Env } from '../../domain/server/env';

/**
 * The evolution sweep's Temporal Schedule: created (or updated) when
 * EVOLUTION_SWEEP_INTERVAL_MINUTES > 0, deleted when it is 0 (the default: off).
 */
export async function ensureEvolutionSchedule(temporal: Client, env: Env, intervalMinutes = env.EVOLUTION_SWEEP_INTERVAL_MINUTES): Promise<'created' | 'updated' | 'off'> {
  const handle = temporal.schedule.getHandle(EVOLUTION_SWEEP_SCHEDULE_ID);
  if (intervalMinutes <= 0) {
    try { await handle.delete(); } catch (err) { if (!(err instanceof ScheduleNotFoundError)) throw err; }
    return 'off';
  }
  const spec = { intervals: [{ every: `${intervalMinutes} minutes` as const }] };
  const action = {
    type: 'startWorkflow' as const, workflowType: 'evolutionSweep', taskQueue: env.EVOSCOPE_TASK_QUEUE,
    workflowId: 'evolution-sweep', args: [{ maxExecutions: 2 }],
  };
  try {
    await temporal.schedule.create({ scheduleId: EVOLUTION_SWEEP_SCHEDULE_ID, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}
