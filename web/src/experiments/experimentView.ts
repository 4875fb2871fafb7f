/**
 * What the experiment page says, computed: the pass-rate interval, the verdict
 * in plain words, whether a person may decide (and why not), latency
 * quantiles, and the per-case rows from stored results or live events.
 * Pure; unit-tested in test/unit/web-experimentView.test.ts.
 */
import { type CaseResult, type Conclusion, impossibleVerdict, type SuiteRun } from '../../../domain/evolution';
import type { ExperimentView } from '../api/evolutionDocuments';
import type { ExperimentProgress, LiveCase } from '../state/metaEvents';

/** Wilson score interval for a pass rate (95 % by default). */
export function wilsonInterval(passed: number, total: number, z = 1.96): { rate: number; low: number; high: number } {
  if (total <= 0) return { rate: 0, low: 0, high: 0 };
  const p = passed / total;
  const z2 = z * z;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / (1 + z2 / total);
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const pValue = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

export function verdictInWords(c: Conclusion, a: string, b: string): string {
  const scores = `mean score ${fmt(c.mean_b)} for B against ${fmt(c.mean_a)} for A on ${c.n} held-out case${c.n === 1 ? '' : 's'}`;
  const effect = `difference ${c.effect >= 0 ? '+' : ''}${fmt(c.effect)} (95 % CI ${fmt(c.ci_low)} to ${fmt(c.ci_high)}, ${pValue(c.p_value)}, ${c.test})`;
  const must = c.must_pass_failed.length ? ` B failed must-pass cases: ${c.must_pass_failed.join(', ')}.` : '';
  if (c.verdict === 'b_better')
    return `B (${a === b ? b : b.slice(0, 8)}) is better than A (${a.slice(0, 8)}): ${scores}; ${effect}.${must}`;
  if (c.verdict === 'a_better')
    return `A (${a.slice(0, 8)}) is better; the candidate B (${b.slice(0, 8)}) is worse: ${scores}; ${effect}.${must}`;
  const impossible = impossibleVerdict(c, c.alpha);
  if (impossible) return `No verdict: ${impossible.replace(/^verdict impossible: /, '')}. ${scores}; ${effect}.${must}`;
  return `No significant difference between A and B at α = ${c.alpha}: ${scores}; ${effect}.${must}`;
}

export interface DecisionAvailability {
  enabled: boolean;
  reason: string;
}

/** Approve / Reject are for a person only when the workflow waits for one; otherwise say why not. */
export function decisionAvailability(e: Pick<ExperimentView, 'status' | 'decision' | 'stage'>): DecisionAvailability {
  const d = e.decision;
  switch (e.status) {
    case 'awaiting_approval':
      return { enabled: true, reason: d?.reason ?? 'The rules leave this decision to a person.' };
    case 'running':
      return {
        enabled: false,
        reason: `Still running${e.stage ? ` (${e.stage})` : ''}: the decision comes after the verdict, and only if the autonomy level and rules leave it to a person.`,
      };
    case 'approved':
      return {
        enabled: false,
        reason: `Already decided: promoted by ${!d || d.decided_by === 'system' ? 'the system' : d.decided_by}${d?.autonomy_level ? ` at ${d.autonomy_level}` : ''} — ${d?.reason ?? ''}`,
      };
    case 'rejected':
      return { enabled: false, reason: `Already decided: rejected by ${d?.decided_by ?? 'a person'} — ${d?.reason ?? ''}` };
    case 'expired':
      return { enabled: false, reason: `Nobody decided in time: ${d?.reason ?? 'the approval window closed'}.` };
    case 'failed':
      return { enabled: false, reason: 'The experiment failed; there is nothing to decide.' };
    default:
      return {
        enabled: false,
        reason: d ? `Decided by ${d.decided_by === 'system' ? 'the system' : d.decided_by}: ${d.reason}` : 'Nothing to decide.',
      };
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface ArmStats {
  cases: number;
  passed: number;
  interval: { rate: number; low: number; high: number };
  latencies: number[];
  box: { min: number; q1: number; median: number; q3: number; p95: number; max: number } | null;
}

function armStats(results: { passed: boolean; latencies: number[] }[]): ArmStats {
  const passed = results.filter((r) => r.passed).length;
  const latencies = results
    .flatMap((r) => r.latencies)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  return {
    cases: results.length,
    passed,
    interval: wilsonInterval(passed, results.length),
    latencies,
    box: latencies.length
      ? {
          min: latencies[0]!,
          q1: quantile(latencies, 0.25),
          median: quantile(latencies, 0.5),
          q3: quantile(latencies, 0.75),
          p95: quantile(latencies, 0.95),
          max: latencies[latencies.length - 1]!,
        }
      : null,
  };
}

export interface CaseRow {
  id: string;
  holdout: boolean;
  a: CaseCell | null;
  b: CaseCell | null;
}
export interface CaseCell {
  passed: boolean;
  score: number | null;
  latency: number | null;
  failure: string | null;
}

const fromStored = (c: CaseResult): CaseCell => ({
  passed: c.passed,
  score: c.mean_score,
  latency: c.latencies_ms.length ? c.latencies_ms.reduce((s, x) => s + x, 0) / c.latencies_ms.length : null,
  failure: c.failure,
});
const fromLive = (c: LiveCase): CaseCell => ({
  passed: c.passed,
  score: c.mean_score,
  latency: c.latency_ms,
  failure: c.failure,
});

/** Stored results where they exist, live events for the arm still running. */
export function caseRows(resultsA: SuiteRun | null, resultsB: SuiteRun | null, live: ExperimentProgress): CaseRow[] {
  const rows = new Map<string, CaseRow>();
  const row = (id: string, holdout: boolean) => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { id, holdout, a: null, b: null }));
    return r;
  };
  for (const [id, c] of live.cases) {
    const r = row(id, c.holdout);
    if (c.a) r.a = fromLive(c.a);
    if (c.b) r.b = fromLive(c.b);
  }
  for (const c of resultsA?.cases ?? []) row(c.case_id, c.holdout).a = fromStored(c);
  for (const c of resultsB?.cases ?? []) row(c.case_id, c.holdout).b = fromStored(c);
  return [...rows.values()];
}

export function statsOf(rows: readonly CaseRow[], arm: 'a' | 'b'): ArmStats {
  return armStats(
    rows
      .map((r) => r[arm])
      .filter((c): c is CaseCell => Boolean(c))
      .map((c) => ({ passed: c.passed, latencies: c.latency === null ? [] : [c.latency] })),
  );
}
