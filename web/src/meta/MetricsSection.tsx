/** The meta panel's system figures: the spec's evolution metrics, and the live run figures with their sparklines. */
import type { RunMetrics, SystemMetrics } from '../../../domain/meta';
import { formatDuration } from '../graph/nodeVisuals';
import { Sparkline } from './Sparkline';
import { useSystemMetrics } from './useSystemMetrics';

const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits).replace(/\.0+$/, '') : '—');

const FIGURES: { key: keyof RunMetrics; label: string; format(v: number): string; color: string }[] = [
  { key: 'runs_in_progress', label: 'Runs in progress', format: (v) => String(v), color: '#7c9cff' },
  { key: 'turns_per_minute', label: 'Turns / min', format: (v) => num(v), color: '#4fd6a4' },
  { key: 'avg_turn_ms', label: 'Avg turn', format: (v) => formatDuration(v), color: '#5cc9e6' },
  { key: 'p95_turn_ms', label: 'p95 turn', format: (v) => formatDuration(v), color: '#b892ff' },
  { key: 'error_rate', label: 'Error rate', format: pct, color: '#ff6b6b' },
  { key: 'events_per_second', label: 'Events / s', format: (v) => num(v), color: '#f5b450' },
];

/** The spec's SystemMetrics: the evolving system (definitions in domain/meta.ts and docs/api.md). */
const EVOLUTION_FIGURES: { key: keyof SystemMetrics; label: string; format(v: number): string; hint: string }[] = [
  { key: 'total_components', label: 'Components', format: String, hint: 'components registered' },
  { key: 'active_versions', label: 'Active versions', format: String, hint: 'current versions and candidates in an experiment' },
  { key: 'deprecated_versions', label: 'Deprecated', format: String, hint: 'superseded or rejected versions' },
  {
    key: 'avg_improvement_rate',
    label: 'Avg improvement',
    format: (v) => num(v, 3),
    hint: 'mean held-out score gain of promoted changes',
  },
  { key: 'system_stability', label: 'Stability', format: pct, hint: 'share of the last 20 promotions not rolled back' },
  {
    key: 'total_auto_changes',
    label: 'Auto changes',
    format: String,
    hint: 'promotions the system decided plus automatic rollbacks',
  },
  {
    key: 'change_success_rate',
    label: 'Change success',
    format: pct,
    hint: 'decided experiments whose candidate was promoted and kept',
  },
];

export function MetricsSection() {
  const { current, history, error } = useSystemMetrics();
  const runs = current?.runs ?? null;
  return (
    <section className="meta-section" aria-labelledby="metrics-heading">
      <h3 id="metrics-heading">System {runs ? <span className="muted small">· {runs.total_turns} turns total</span> : null}</h3>
      {error ? <div className="inline-error">{error}</div> : null}
      <dl className="kv" data-testid="evolution-metrics">
        {EVOLUTION_FIGURES.map((f) => (
          <div key={f.key} title={f.hint}>
            <dt>{f.label}</dt>
            <dd>{current ? f.format(current[f.key] as number) : '—'}</dd>
          </div>
        ))}
      </dl>
      <div className="metric-grid" data-testid="metrics">
        {FIGURES.map((f) => (
          <div className="metric" key={f.key}>
            <div className="metric-top">
              <span className="metric-label">{f.label}</span>
              <span className="metric-value">
                {runs && !(f.key.endsWith('turn_ms') && runs.total_turns === 0) ? f.format(runs[f.key] as number) : '—'}
              </span>
            </div>
            <Sparkline values={history.map((h) => h.runs[f.key] as number)} color={f.color} label={f.label} />
          </div>
        ))}
      </div>
    </section>
  );
}
