import { activityByMinute } from '../../api/services/systemActivity';
import { createTurnMinutes } from '../../metrics/turnMinutes';
import { tallyExperiments } from '../../store/experimentTallies';

describe('activityByMinute', () => {
  const now = new Date('2026-12-07T12:30:20Z');
  /** Turns finished by one worker process, as it records them: [ended at, duration, failed]. */
  const processOf = (turns: [string, number, boolean?][]) => {
    const minutes = createTurnMinutes();
    for (const [endedAt, durationMs, failed] of turns) minutes.record(failed ?? false, durationMs, Date.parse(endedAt));
    return minutes.recent(now.getTime());
  };

  it('sums the processes, minute by minute over the last hour, with the error rate and percentiles of each minute', () => {
    const activity = activityByMinute(
      [
        processOf([
          ['2026-12-07T12:30:05Z', 100],
          ['2026-12-07T12:29:59Z', 50],
          ['2026-12-07T11:30:59Z', 70], // an hour ago: left out
        ]),
        processOf([
          ['2026-12-07T12:30:10Z', 300, true],
          ['2026-12-07T11:31:00Z', 70], // the oldest minute still shown
        ]),
      ],
      now,
    );
    expect(activity.minutes).toHaveLength(60);
    expect(activity.minutes[0]).toMatchObject({ at: '2026-12-07T11:31:00.000Z', turns: 1, p50_turn_ms: 70 });
    expect(activity.minutes[58]).toMatchObject({ at: '2026-12-07T12:29:00.000Z', turns: 1, failed: 0, error_rate: 0 });
    expect(activity.minutes[59]).toEqual({
      at: '2026-12-07T12:30:00.000Z',
      turns: 2,
      failed: 1,
      error_rate: 0.5,
      p50_turn_ms: 100,
      p99_turn_ms: 300,
    });
    expect(activity.minutes[30]).toMatchObject({ turns: 0, error_rate: 0, p50_turn_ms: null, p99_turn_ms: null });
    expect(activity.minutes.reduce((sum, m) => sum + m.turns, 0)).toBe(4);
  });
});

describe('tallyExperiments', () => {
  it('counts decided outcomes and failures, promotions by who decided, and rollbacks; pending is no outcome yet', () => {
    const decided = (outcome: string, decided_by = 'system') => ({ outcome, decided_by }) as never;
    expect(
      tallyExperiments([
        { status: 'approved', decision: decided('promoted', 'alice'), rolled_back: { at: '', reason: '' } },
        { status: 'completed', decision: decided('promoted'), rolled_back: null },
        { status: 'completed', decision: decided('not_promoted'), rolled_back: null },
        { status: 'awaiting_approval', decision: decided('pending'), rolled_back: null },
        { status: 'failed', decision: null, rolled_back: null },
        { status: 'running', decision: null, rolled_back: null },
      ]),
    ).toEqual({ byOutcome: { promoted: 2, not_promoted: 1, failed: 1 }, promotionsBy: { system: 1, person: 1 }, rollbacks: 1 });
  });
});
