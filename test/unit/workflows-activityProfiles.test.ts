import type { ActivityOptions } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { ACTIVITY_PROFILES } from '../../workflows/activityProfiles';

/**
 * How long an activity keeps retrying an outage of the store (each attempt failing at once)
 * before it gives up and fails its workflow: the sum of the back-off waits between attempts, or
 * the schedule-to-close timeout when attempts are not capped.
 */
function outageRiddenOutMs({ retry, scheduleToCloseTimeout }: ActivityOptions): number {
  const attempts = retry?.maximumAttempts ?? 0;
  if (attempts === 0) return scheduleToCloseTimeout ? msToNumber(scheduleToCloseTimeout) : Infinity;
  const initial = msToNumber(retry?.initialInterval ?? '1s');
  const cap = retry?.maximumInterval ? msToNumber(retry.maximumInterval) : 100 * initial;
  let waited = 0;
  for (let n = 1; n < attempts; n++) waited += Math.min(cap, initial * (retry?.backoffCoefficient ?? 2) ** (n - 1));
  return waited;
}

const FIVE_MINUTES = 5 * 60_000;

test.each(['evolutionStep', 'versionChange', 'analysis', 'suiteRun', 'proposing'] as const)(
  'the %s profile rides out five minutes of store outage',
  (profile) => {
    expect(outageRiddenOutMs(ACTIVITY_PROFILES[profile])).toBeGreaterThanOrEqual(FIVE_MINUTES);
  },
);

test('no profile retries for ever', () => {
  for (const options of Object.values(ACTIVITY_PROFILES)) expect(outageRiddenOutMs(options)).toBeLessThan(Infinity);
});

test('errors no retry can fix fail at once', () => {
  for (const profile of ['evolutionStep', 'versionChange', 'analysis', 'suiteRun', 'proposing'] as const)
    expect(ACTIVITY_PROFILES[profile].retry.nonRetryableErrorTypes).toContain('ZodError');
});
