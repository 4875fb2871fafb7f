import { z } from 'zod';

/** The evolution sweep's schedule over the API: what a person may set, what the API shows, what "Run sweep now" reports. */

export const ScheduleInput = z
  .object({
    enabled: z.boolean(),
    interval_minutes: z
      .number()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const EvolutionScheduleView = z.object({
  enabled: z.boolean(),
  interval_minutes: z.number(),
  /** When the next sweep starts (null when off). */
  next_run_at: z.string().nullable(),
  /** When the last sweep started, if any. */
  last_run_at: z.string().nullable(),
});
export type EvolutionScheduleView = z.infer<typeof EvolutionScheduleView>;

/** What "Run sweep now" reports once the sweep it started has finished. */
export const SweepRunView = z.object({
  workflow_id: z.string(),
  level: z.string(),
  predictions: z.number().int(),
  started: z.array(z.string()),
});
export type SweepRunView = z.infer<typeof SweepRunView>;
