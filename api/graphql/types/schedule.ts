import type { EvolutionScheduleView } from '../../services/evolutionSchedule';
import { builder } from '../builder';

/** The evolution sweep's schedule: on/off, interval and the next run. */
const EvolutionScheduleRef = builder.objectRef<EvolutionScheduleView>('EvolutionSchedule').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled'),
    interval_minutes: t.exposeFloat('interval_minutes'),
    next_run_at: t.exposeString('next_run_at', { nullable: true, description: 'When the next sweep starts; null when off.' }),
    last_run_at: t.exposeString('last_run_at', { nullable: true }),
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
    type: EvolutionScheduleRef, args: { input: t.arg({ type: EvolutionScheduleInput, required: true }) },
    resolve: (_, a, ctx) => ctx.schedule.update(Object.fromEntries(Object.entries(a.input).filter(([, v]) => v != null))),
  }),
}));
