/** The system over the last hour: turns per minute, error rate, p50 and p99 turn time, live. */
import { formatDuration } from '../graph/nodeVisuals';
import { SERIES_COLORS } from './chartTheme';
import { MinuteChart } from './MinuteChart';
import { useSystemActivity } from './useSystemActivity';

const percent = (v: number) => `${Math.round(v * 100)}%`;

export function ActivityPlots() {
  const { activity, error } = useSystemActivity();
  const minutes = activity?.minutes ?? [];
  const turns = minutes.reduce((sum, m) => sum + m.turns, 0);
  return (
    <section className="trend-section" aria-labelledby="activity-heading" data-testid="activity-plots" data-turns={turns}>
      <h3 id="activity-heading">
        Last hour <span className="muted small">· {turns} turns finished</span>
      </h3>
      {error ? <div className="inline-error">{error}</div> : null}
      <MinuteChart
        title="Turns per minute"
        testId="turns-per-minute"
        minutes={minutes}
        series={[{ key: 'turns', color: SERIES_COLORS.turns, value: (m) => m.turns }]}
        format={(v) => String(Math.round(v * 10) / 10)}
      />
      <MinuteChart
        title="Error rate"
        testId="error-rate"
        minutes={minutes}
        series={[{ key: 'failed', color: SERIES_COLORS.errors, value: (m) => (m.turns ? m.error_rate : null) }]}
        format={percent}
      />
      <MinuteChart
        title="Turn time"
        testId="turn-time"
        minutes={minutes}
        series={[
          { key: 'p50', color: SERIES_COLORS.p50, value: (m) => m.p50_turn_ms },
          { key: 'p99', color: SERIES_COLORS.p99, value: (m) => m.p99_turn_ms },
        ]}
        format={formatDuration}
      />
    </section>
  );
}
