import { randomUUID } from 'node:crypto';
import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Db } from 'mongodb';
import { EVOLUTION_SWEEP_SCHEDULE_ID, type EvolutionSweepInput, type EvolutionSweepResult } from '../../domain/evolution';
import { ScheduleInput, type EvolutionScheduleView, type SweepRunView } from '../../domain/evolutionSchedule';
import type { Env } from '../../domain/server/env';
import type { EvolutionScheduleSetting } from '../../domain/settings';
import { emitMetaEvent } from '../../store/emit';
import { readEvolutionSchedule, updateEvolutionSchedule } from '../../store/settingsStore';
import type { ApiDeps } from '../deps';
import { parseInput } from '../errors';

const DEFAULT_INTERVAL_MINUTES = 60;

/** The sweep as the schedule starts it; "Run sweep now" starts the same. */
const sweepWorkflow = (env: Env) => ({
  workflowType: 'evolutionSweep',
  taskQueue: env.EVOSCOPE_TASK_QUEUE,
  args: [{ maxExecutions: 2 }] as [EvolutionSweepInput],
});

/**
 * The evolution sweep's Temporal Schedule: created (or updated) when the interval is > 0,
 * deleted when it is 0 (the default: off).
 */
export async function ensureEvolutionSchedule(
  temporal: Client,
  env: Env,
  intervalMinutes = env.EVOLUTION_SWEEP_INTERVAL_MINUTES,
): Promise<'created' | 'updated' | 'off'> {
  const handle = temporal.schedule.getHandle(EVOLUTION_SWEEP_SCHEDULE_ID);
  if (intervalMinutes <= 0) {
    try {
      await handle.delete();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    return 'off';
  }
  const spec = { intervals: [{ every: `${intervalMinutes} minutes` as const }] };
  const action = { type: 'startWorkflow' as const, ...sweepWorkflow(env), workflowId: 'evolution-sweep' };
  try {
    await temporal.schedule.create({
      scheduleId: EVOLUTION_SWEEP_SCHEDULE_ID,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update((previous) => ({ ...previous, spec, action }));
    return 'updated';
  }
}

/** What the console chose (stored), else what the environment says. */
export async function effectiveScheduleSetting(db: Db, env: Env): Promise<EvolutionScheduleSetting> {
  const stored = await readEvolutionSchedule(db);
  if (stored) return stored;
  const fromEnv = env.EVOLUTION_SWEEP_INTERVAL_MINUTES;
  return { enabled: fromEnv > 0, interval_minutes: fromEnv > 0 ? fromEnv : DEFAULT_INTERVAL_MINUTES };
}

/** Reading and changing the sweep schedule from the API (GraphQL and REST share it). */
export function createScheduleService(deps: ApiDeps) {
  const { db, env, temporal } = deps;
  async function describe(): Promise<EvolutionScheduleView> {
    const setting = await effectiveScheduleSetting(db, env);
    if (!setting.enabled) return { ...setting, next_run_at: null, last_run_at: null };
    try {
      const d = await temporal.schedule.getHandle(EVOLUTION_SWEEP_SCHEDULE_ID).describe();
      const last = d.info.recentActions.at(-1)?.takenAt ?? null;
      return {
        ...setting,
        next_run_at: d.info.nextActionTimes[0]?.toISOString() ?? null,
        last_run_at: last ? last.toISOString() : null,
      };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return { ...setting, next_run_at: null, last_run_at: null };
      throw err;
    }
  }
  return {
    describe,
    async update(input: unknown): Promise<EvolutionScheduleView> {
      const body = parseInput(ScheduleInput, input ?? {});
      const fallback = await effectiveScheduleSetting(db, env);
      const next = await updateEvolutionSchedule(db, (stored) => ({
        enabled: body.enabled,
        interval_minutes: body.interval_minutes ?? (stored ?? fallback).interval_minutes,
      }));
      await ensureEvolutionSchedule(temporal, env, next.enabled ? next.interval_minutes : 0);
      await emitMetaEvent(db, `schedule:${randomUUID()}`, {
        type: 'schedule_updated',
        enabled: next.enabled,
        interval_minutes: next.interval_minutes,
      });
      return describe();
    },
    /** One sweep at once, outside the schedule; answers when it has finished (its evolutions run on). */
    async runNow(): Promise<SweepRunView> {
      const { workflowType, taskQueue, args } = sweepWorkflow(env);
      const workflowId = `evolution-sweep-now-${randomUUID()}`;
      const result = (await temporal.workflow.execute(workflowType, { taskQueue, workflowId, args })) as EvolutionSweepResult;
      return { workflow_id: workflowId, ...result };
    },
  };
}
export type ScheduleService = ReturnType<typeof createScheduleService>;
