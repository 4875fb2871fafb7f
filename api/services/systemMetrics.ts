import type { Db } from 'mongodb';
import { STABILITY_WINDOW, TIMELINE_DAYS, type RunMetrics, type SystemMetrics } from '../../domain/meta';
import type { EvolutionFacts, ExperimentFacts } from '../../store/evolutionStore';
import { countRunningTurns, countTurns, turnsSince } from '../../store/turnStore';

const WINDOW_MS = 5 * 60_000;
const DAY_MS = 24 * 3600_000;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

/** Live run figures over the last five minutes; events per second comes from the event feed. */
export async function computeRunMetrics(db: Db, eventsPerSecond: number): Promise<RunMetrics> {
  const now = Date.now();
  const [running, recent, total] = await Promise.all([
    countRunningTurns(db),
    turnsSince(db, new Date(now - WINDOW_MS).toISOString()),
    countTurns(db),
  ]);
  const finished = recent.filter((t) => t.status !== 'running' && t.duration_ms != null);
  const durations = finished.map((t) => t.duration_ms!).sort((a, b) => a - b);
  const failed = finished.filter((t) => t.status === 'failed').length;
  return {
    runs_in_progress: running,
    turns_per_minute: recent.length / (WINDOW_MS / 60_000),
    avg_turn_ms: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0,
    p95_turn_ms: percentile(durations, 95),
    error_rate: finished.length ? failed / finished.length : 0,
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
