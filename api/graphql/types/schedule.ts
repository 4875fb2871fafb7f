import type { EvolutionScheduleView, SweepRunView } from '../../../domain/evolutionSchedule';
import { builder } from '../builder';
import { withoutNulls } from '../withoutNulls';

/** The evolution sweep's schedule: on/off, interval and the next run. */
const EvolutionScheduleRef = builder.objectRef<EvolutionScheduleView>('EvolutionSchedule').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled'),
    interval_minutes: t.exposeFloat('interval_minutes'),
    next_run_at: t.exposeString('next_run_at', { nullable: true, description: 'When the next sweep starts; null when off.' }),
    last_run_at: t.exposeString('last_run_at', { nullable: true }),
  }),
});

/** What one sweep started by a person did. */
const SweepRunRef = builder.objectRef<SweepRunView>('SweepRun').implement({
  fields: (t) => ({
    workflow_id: t.exposeString('workflow_id'),
    level: t.exposeString('level', { description: "The autonomy level the sweep saw; 'n/a' when nothing was executable." }),
    predictions: t.exposeInt('predictions', { description: 'How many predictions it computed.' }),
    started: t.exposeStringList('started', { description: 'The evolutions it started (none at manual).' }),
  }),
});

const EvolutionScheduleInput = builder.inputType('EvolutionScheduleInput', {
  fields: (t) => ({ enabled: t.boolean({ required: true }), interval_minutes: t.float() }),
});

builder.queryFields((t) => ({
  evolution_schedule: t.field({ type: EvolutionScheduleRef, resolve: (_, __, ctx) => ctx.schedule.describe() }),
}));

builder.mutationFields((t) => ({
  update_evolution_schedule: t.field({
    type: EvolutionScheduleRef,
    args: { input: t.arg({ type: EvolutionScheduleInput, required: true }) },
    resolve: (_, a, ctx) => ctx.schedule.update(withoutNulls(a.input)),
  }),
  run_evolution_sweep: t.field({
    type: SweepRunRef,
    description: 'Starts one sweep now (as the schedule would) and answers once it has finished.',
    resolve: (_, __, ctx) => ctx.schedule.runNow(),
  }),
}));
