/** A against B in plain SVG: pass rate with its 95 % interval, and the latency distribution as box plots. */
import { formatDuration } from '../graph/nodeVisuals';
import type { ArmStats } from './experimentView';

const ARMS = [
  { key: 'a', label: 'A', color: '#8fb4d9' },
  { key: 'b', label: 'B', color: '#4fd6a4' },
] as const;
const W = 320;
const LEFT = 28;
/** Room right of the plot for each row's value, so a full bar never runs under it. */
const RIGHT = 52;
const ROW = 30;

export function PassRateChart({ a, b }: { a: ArmStats; b: ArmStats }) {
  const inner = W - LEFT - RIGHT;
  const x = (v: number) => LEFT + v * inner;
  const stats = { a, b };
  const h = ROW * 2 + 22;
  return (
    <figure className="chart" data-testid="pass-rate-chart">
      <figcaption>Pass rate, with 95 % interval (Wilson)</figcaption>
      <svg
        viewBox={`0 0 ${W} ${h}`}
        role="img"
        aria-label={`Pass rate: A ${Math.round(a.interval.rate * 100)}%, B ${Math.round(b.interval.rate * 100)}%`}
      >
        {[0, 0.25, 0.5, 0.75, 1].map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={4} y2={h - 16} className="chart-grid" />
            <text x={x(t)} y={h - 4} className="chart-tick" textAnchor="middle">
              {Math.round(t * 100)}%
            </text>
          </g>
        ))}
        {ARMS.map((arm, i) => {
          const s = stats[arm.key];
          const y = 6 + i * ROW;
          return (
            <g key={arm.key}>
              <text x={4} y={y + 14} className="chart-label">
                {arm.label}
              </text>
              <rect
                x={x(0)}
                y={y + 3}
                width={Math.max(0, x(s.interval.rate) - x(0))}
                height={16}
                rx={3}
                fill={arm.color}
                opacity={0.75}
              />
              {s.cases > 0 ? (
                <>
                  <line x1={x(s.interval.low)} x2={x(s.interval.high)} y1={y + 11} y2={y + 11} className="chart-whisker" />
                  <line x1={x(s.interval.low)} x2={x(s.interval.low)} y1={y + 5} y2={y + 17} className="chart-whisker" />
                  <line x1={x(s.interval.high)} x2={x(s.interval.high)} y1={y + 5} y2={y + 17} className="chart-whisker" />
                </>
              ) : null}
              <text x={W - 2} y={y + 14} className="chart-value" textAnchor="end">
                {s.cases ? `${s.passed}/${s.cases}` : '—'}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function LatencyChart({ a, b }: { a: ArmStats; b: ArmStats }) {
  const stats = { a, b };
  const all = [...a.latencies, ...b.latencies];
  const max = Math.max(1, ...all) * 1.05;
  const inner = W - LEFT - RIGHT;
  const x = (v: number) => LEFT + (v / max) * inner;
  const h = ROW * 2 + 22;
  const ticks = [0, max / 2, max];
  return (
    <figure className="chart" data-testid="latency-chart">
      <figcaption>Latency per case (box: quartiles, whiskers: min–max, tick: p95)</figcaption>
      <svg
        viewBox={`0 0 ${W} ${h}`}
        role="img"
        aria-label={`Latency: median A ${formatDuration(a.box?.median)}, B ${formatDuration(b.box?.median)}`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={4} y2={h - 16} className="chart-grid" />
            <text x={x(t)} y={h - 4} className="chart-tick" textAnchor="middle">
              {formatDuration(t)}
            </text>
          </g>
        ))}
        {ARMS.map((arm, i) => {
          const s = stats[arm.key];
          const y = 6 + i * ROW;
          const mid = y + 11;
          return (
            <g key={arm.key}>
              <text x={4} y={y + 14} className="chart-label">
                {arm.label}
              </text>
              {s.latencies.map((v, j) => (
                <circle key={j} cx={x(v)} cy={mid + ((j % 5) - 2) * 1.6} r={1.6} fill={arm.color} opacity={0.45} />
              ))}
              {s.box ? (
                <>
                  <line x1={x(s.box.min)} x2={x(s.box.max)} y1={mid} y2={mid} className="chart-whisker" />
                  <rect
                    x={x(s.box.q1)}
                    y={y + 3}
                    width={Math.max(1.5, x(s.box.q3) - x(s.box.q1))}
                    height={16}
                    rx={2}
                    fill={arm.color}
                    opacity={0.35}
                    stroke={arm.color}
                  />
                  <line x1={x(s.box.median)} x2={x(s.box.median)} y1={y + 2} y2={y + 20} stroke="#fff" strokeWidth={1.5} />
                  <line
                    x1={x(s.box.p95)}
                    x2={x(s.box.p95)}
                    y1={y + 6}
                    y2={y + 16}
                    stroke={arm.color}
                    strokeWidth={1.5}
                    strokeDasharray="2 1"
                  />
                </>
              ) : null}
              <text x={W - 2} y={y + 14} className="chart-value" textAnchor="end">
                {s.box ? formatDuration(s.box.median) : '—'}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
