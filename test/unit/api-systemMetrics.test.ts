import type { Conclusion, Decision } from '../../domain/evolution';
import { SystemMetrics, type RunMetrics } from '../../domain/meta';
import { evolutionMetrics, percentile, recentTurns } from '../../api/services/systemMetrics';
import { createTurnMinutes, MINUTE_MS } from '../../metrics/turnMinutes';
import type { ExperimentFacts } from '../../store/evolutionStore';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const runs: RunMetrics = {
  runs_in_progress: 0,
  turns_per_minute: 0,
  avg_turn_ms: 0,
  p95_turn_ms: 0,
  error_rate: 0,
  events_per_second: 0,
  total_turns: 0,
  at: NOW.toISOString(),
};
const decision = (outcome: Decision['outcome'], decided_by = 'system', at = '2026-03-09T10:00:00.000Z'): Decision => ({
  action: 'promote',
  outcome,
  reason: '',
  decided_by,
  autonomy_level: 'full',
  at,
});
const conclusion = (verdict: Conclusion['verdict'], effect: number) => ({ verdict, effect }) as Conclusion;
const experiment = (patch: Partial<ExperimentFacts>): ExperimentFacts => ({
  status: 'completed',
  decision: null,
  conclusion: null,
  rolled_back: null,
  created_at: '2026-03-09T09:00:00.000Z',
  ...patch,
});

describe('SystemMetrics from the store', () => {
  it('is well defined before anything happened', () => {
    const m = evolutionMetrics({ components: 0, versions: [], experiments: [], autonomy_level: 'manual' }, runs, NOW);
    expect(SystemMetrics.parse(m)).toEqual(m);
    expect(m).toMatchObject({
      total_components: 0,
      active_versions: 0,
      deprecated_versions: 0,
      avg_improvement_rate: 0,
      system_stability: 1,
      total_auto_changes: 0,
      change_success_rate: 0,
    });
    expect(m.timeline).toHaveLength(14);
    expect(m.timeline.at(-1)!.date).toBe('2026-03-10');
  });

  it('counts versions, promotions, rollbacks and successes as documented', () => {
    const m = evolutionMetrics(
      {
        components: 3,
        versions: [
          { status: 'current', created_at: '2026-03-01T00:00:00.000Z' },
          { status: 'current', created_at: '2026-03-09T00:00:00.000Z' },
          { status: 'candidate', created_at: '2026-03-10T00:00:00.000Z' },
          { status: 'previous', created_at: '2026-03-02T00:00:00.000Z' },
          { status: 'rejected', created_at: '2026-03-09T01:00:00.000Z' },
        ],
        experiments: [
          // newest first: an automatic promotion rolled back by the watch, a person's promotion kept, a rejection, one still running
          experiment({
            decision: decision('promoted'),
            conclusion: conclusion('b_better', 0.2),
            rolled_back: { at: '2026-03-10T01:00:00.000Z', reason: 'errors' },
          }),
          experiment({ decision: decision('promoted', 'ana'), conclusion: conclusion('b_better', 0.1) }),
          experiment({ status: 'rejected', decision: decision('rejected', 'ana'), conclusion: conclusion('no_difference', 0) }),
          experiment({ status: 'running' }),
        ],
        autonomy_level: 'semi_auto',
      },
      runs,
      NOW,
    );
    expect(m).toMatchObject({
      total_components: 3,
      active_versions: 3,
      deprecated_versions: 2,
      autonomy_level: 'semi_auto',
      system_stability: 0.5,
      total_auto_changes: 2,
      change_success_rate: 1 / 3,
    });
    expect(m.avg_improvement_rate).toBeCloseTo(0.15);
    const day = (d: string) => m.timeline.find((t) => t.date === d)!;
    expect(day('2026-03-09')).toEqual({ date: '2026-03-09', versions_created: 2, experiments: 4, promotions: 2, rollbacks: 0 });
    expect(day('2026-03-10')).toMatchObject({ versions_created: 1, rollbacks: 1 });
  });
});

describe("the live figures of the last five minutes, from the workers' published minutes", () => {
  // Late in a minute: the window (this minute and the four before) is all but five minutes long.
  const now = Date.parse('2026-03-10T12:04:59.999Z');
  const turn = (i: number) => {
    const ended = now - ((i * 7_919) % 239_000); // within the last four minutes
    const duration = 150 + ((i * 37) % 900);
    return { started: ended - duration, ended, duration, failed: i % 7 === 0 };
  };

  test('give what the range read of the turns gave, for turns inside the window, split over two workers', () => {
    const turns = Array.from({ length: 300 }, (_, i) => turn(i));
    const workers = [createTurnMinutes(), createTurnMinutes()];
    turns.forEach((t, i) => {
      workers[i % 2].recordStart(t.started);
      workers[i % 2].record(t.failed, t.duration, t.ended);
    });
    // The old computation, over the same turns as the turns collection held them.
    const durations = turns.map((t) => t.duration).sort((a, b) => a - b);
    const figures = recentTurns(
      workers.map((w) => w.recent(now)),
      now,
    );
    expect(figures.turns_per_minute).toBeCloseTo(turns.length / 5, 3);
    expect(figures.avg_turn_ms).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / durations.length, 6);
    expect(figures.p95_turn_ms).toBe(percentile(durations, 95));
    expect(figures.error_rate).toBe(turns.filter((t) => t.failed).length / turns.length);
  });

  test('leave out minutes before the window, and count no starts in minutes published before starts were', () => {
    const thisMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const old = { at: thisMinute - 5 * MINUTE_MS, turns: 50, failed: 50, durations: [99_999], started: 50 };
    const published = { at: thisMinute - MINUTE_MS, turns: 2, failed: 1, durations: [100, 300] };
    expect(recentTurns([[old, published]], now)).toEqual({
      turns_per_minute: 0,
      avg_turn_ms: 200,
      p95_turn_ms: 300,
      error_rate: 0.5,
    });
  });

  test('are zero with nothing published', () => {
    expect(recentTurns([], now)).toEqual({ turns_per_minute: 0, avg_turn_ms: 0, p95_turn_ms: 0, error_rate: 0 });
  });
});
