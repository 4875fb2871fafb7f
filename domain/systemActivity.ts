import { z } from 'zod';

/**
 * The system's recent activity minute by minute, for the console's plot of turns per minute,
 * error rate and turn time (GraphQL `system_activity`, REST GET /api/system/activity).
 */
export const ACTIVITY_MINUTES = 60;

export const ActivityMinute = z.object({
  at: z.string().describe('ISO 8601: the start of the minute (UTC)'),
  turns: z.number().int().describe('turns that finished in the minute'),
  failed: z.number().int().describe('of those, the ones that failed'),
  error_rate: z.number().describe('failed / turns; 0 in a minute without turns'),
  p50_turn_ms: z.number().nullable().describe('median duration of those turns; null without turns'),
  p99_turn_ms: z.number().nullable().describe('99th percentile of the same'),
});
export type ActivityMinute = z.infer<typeof ActivityMinute>;

export const SystemActivity = z.object({
  minutes: z.array(ActivityMinute).describe(`the last ${ACTIVITY_MINUTES} minutes, oldest first, the current one last`),
  at: z.string().describe('ISO 8601: when it was computed'),
});
export type SystemActivity = z.infer<typeof SystemActivity>;

/**
 * One minute of the turns a worker process finished (metrics/turnMinutes.ts), as it publishes it
 * beside its metrics snapshot and the API sums it into an ActivityMinute.
 */
export interface TurnMinute {
  /** The minute's start, in ms since the epoch. */
  at: number;
  turns: number;
  failed: number;
  /** Their durations in ms: all of them, or a uniform sample of a bounded size. */
  durations: number[];
  /** Turns that started in the minute (for the live turns per minute); absent from minutes published before it was counted. */
  started?: number;
}
