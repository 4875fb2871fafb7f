import type { Db } from 'mongodb';
import { STABILITY_WINDOW, TIMELINE_DAYS, type RunMetrics, type SystemMetrics } from '../../domain/meta';
import type { TurnMinute } from '../../domain/systemActivity';
import { MINUTE_MS, sumMinutes } from '../../metrics/turnMinutes';
import type { EvolutionFacts, ExperimentFacts } from '../../store/evolutionStore';
import { readTurnMinutes } from '../../store/metricsSnapshotStore';
import { countRunningTurns, countTurns } from '../../store/turnStore';

const WINDOW_MINUTES = 5;
const DAY_MS = 24 * 3600_000;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

type RecentTurns = Pick<RunMetrics, 'turns_per_minute' | 'avg_turn_ms' | 'p95_turn_ms' | 'error_rate'>;

/**
 * The turns of the last five minutes from the workers' published minutes (metrics/turnMinutes.ts):
 * the current minute and the four before it, so the window is between four and five minutes long
 * and turns per minute is over its length. Turns per minute counts the turns that started in it;
 * the durations and the error rate are those of the turns that finished in it (exact up to
 * MAX_DURATIONS per minute, a uniform sample beyond). Pure.
 */
export function recentTurns(processes: TurnMinute[][], now: number, random: () => number = Math.random): RecentTurns {
  const from = Math.floor(now / MINUTE_MS) * MINUTE_MS - (WINDOW_MINUTES - 1) * MINUTE_MS;
  // The window's minutes as one, so the durations are sampled across it as a minute's are.
  const inWindow = sumMinutes(processes, now).flatMap((m) => (m.at >= from ? [{ ...m, at: from }] : []));
  const [window] = sumMinutes([inWindow], now, random);
  const durations = [...(window?.durations ?? [])].sort((a, b) => a - b);
  const finished = window?.turns ?? 0;
  return {
    turns_per_minute: (window?.started ?? 0) / ((now - from) / MINUTE_MS),
    avg_turn_ms: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0,
    p95_turn_ms: percentile(durations, 95),
    error_rate: finished ? (window?.failed ?? 0) / finished : 0,
  };
}

/**
 * Live run figures over the last five minutes; events per second comes from the event feed. The
 * recent turns come from the workers' published minutes, not the turns collection, whose range
 * read FerretDB v1 answers by decoding every turn ever stored; so the cost does not grow with the
 * turns stored, and a turn counts within the two seconds a worker takes to publish.
 */
export async function computeRunMetrics(db: Db, eventsPerSecond: number): Promise<RunMetrics> {
  const now = Date.now();
  const [running, processes, total] = await Promise.all([countRunningTurns(db), readTurnMinutes(db), countTurns(db)]);
  return {
    runs_in_progress: running,
    ...recentTurns(processes, now),
    events_per_second: eventsPerSecond,
    total_turns: total,
    at: new Date(now).toISOString(),
  };
}

const promoted = (e: ExperimentFacts) => e.decision?.outcome === 'promoted';
const share = (part: number, whole: number, none: number) => (whole ? part / whole : none);

/** The spec's SystemMetrics from what the store holds; each figure's definition is in domain/meta.ts (SystemMetrics). */
export function evolutionMetrics(facts: EvolutionFacts, runs: RunMetrics, now: Date): SystemMetrics {
  const promotions = facts.experiments.filter(promoted);
  const decided = facts.experiments.filter((e) => e.decision && e.decision.outcome !== 'pending');
  const succeeded = decided.filter((e) => promoted(e) && e.conclusion?.verdict === 'b_better' && !e.rolled_back);
  const recent = promotions.slice(0, STABILITY_WINDOW);
  const effects = promotions.map((e) => e.conclusion?.effect).filter((x): x is number => typeof x === 'number');
  const autoPromotions = promotions.filter((e) => e.decision?.decided_by === 'system').length;

  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (TIMELINE_DAYS - 1) * DAY_MS;
  const timeline = Array.from({ length: TIMELINE_DAYS }, (_, i) => ({
    date: new Date(first + i * DAY_MS).toISOString().slice(0, 10),
    versions_created: 0,
    experiments: 0,
    promotions: 0,
    rollbacks: 0,
  }));
  const dayOf = (iso: string | undefined | null) => (iso ? timeline[Math.floor((Date.parse(iso) - first) / DAY_MS)] : undefined);
  for (const v of facts.versions) {
    const d = dayOf(v.created_at);
    if (d) d.versions_created++;
  }
  for (const e of facts.experiments) {
    const started = dayOf(e.created_at);
    if (started) started.experiments++;
    if (promoted(e)) {
      const d = dayOf(e.decision!.at);
      if (d) d.promotions++;
    }
    if (e.rolled_back) {
      const d = dayOf(e.rolled_back.at);
      if (d) d.rollbacks++;
    }
  }

  return {
    total_components: facts.components,
    active_versions: facts.versions.filter((v) => v.status === 'current' || v.status === 'candidate').length,
    deprecated_versions: facts.versions.filter((v) => v.status === 'previous' || v.status === 'rejected').length,
    autonomy_level: facts.autonomy_level,
    avg_improvement_rate: effects.length ? effects.reduce((a, b) => a + b, 0) / effects.length : 0,
    system_stability: share(recent.filter((e) => !e.rolled_back).length, recent.length, 1),
    total_auto_changes: autoPromotions + facts.experiments.filter((e) => e.rolled_back).length,
    change_success_rate: share(succeeded.length, decided.length, 0),
    timeline,
    runs,
  };
}
