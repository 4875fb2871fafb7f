/**
 * A component's held-out score over time, from its experiments: the score of the version in use
 * (a step each promotion and rollback), and a mark for each decision: promoted, refused (rejected,
 * not promoted, expired) or rolled back, each with the experiment that made it. Experiments that
 * never concluded (failed, still running) have no held-out score and are left out. Pure.
 */
import type { ExperimentSummary } from '../api/evolutionDocuments';

export type ScoreMarkKind = 'promoted' | 'refused' | 'rolled_back';
export interface ScoreStep {
  at: number;
  score: number;
  version: string;
}
export interface ScoreMark extends ScoreStep {
  kind: ScoreMarkKind;
  experimentId: string;
}
export interface ComponentScoreHistory {
  component: string;
  /** The version in use and its held-out score, from the first experiment on, oldest first. */
  steps: ScoreStep[];
  marks: ScoreMark[];
}

const REFUSED = new Set(['rejected', 'not_promoted', 'expired']);
const timeOf = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

/** An experiment that concluded on held-out cases and was decided. */
type Decided = ExperimentSummary & {
  version_a: string;
  version_b: string;
  conclusion: NonNullable<ExperimentSummary['conclusion']>;
  decision: NonNullable<ExperimentSummary['decision']>;
};
const isDecided = (e: ExperimentSummary): e is Decided =>
  Boolean(e.component && e.version_a && e.version_b && e.conclusion && e.decision && e.decision.outcome !== 'pending');

export function scoreHistories(experiments: readonly ExperimentSummary[]): ComponentScoreHistory[] {
  const byComponent = new Map<string, Decided[]>();
  for (const e of experiments.filter(isDecided)) byComponent.set(e.component!, [...(byComponent.get(e.component!) ?? []), e]);
  return [...byComponent.entries()]
    .map(([component, decided]) => historyOf(component, decided))
    .sort((a, b) => a.component.localeCompare(b.component));
}

/** A decision or a rollback, when it happened. */
function marksOf(e: Decided): { at: number; kind: ScoreMarkKind; e: Decided }[] {
  const outcome = e.decision.outcome;
  const kind: ScoreMarkKind | null = outcome === 'promoted' ? 'promoted' : REFUSED.has(outcome) ? 'refused' : null;
  return [
    ...(kind ? [{ at: timeOf(e.decision.at), kind, e }] : []),
    ...(e.rolled_back ? [{ at: timeOf(e.rolled_back.at), kind: 'rolled_back' as const, e }] : []),
  ].filter((m) => Number.isFinite(m.at));
}

function historyOf(component: string, decided: Decided[]): ComponentScoreHistory {
  // Rollbacks may come after later decisions: every mark is placed by its own time.
  const events = decided.flatMap(marksOf).sort((a, b) => a.at - b.at);
  const first = [...decided].sort((a, b) => timeOf(a.created_at) - timeOf(b.created_at))[0]!;
  const start = Math.min(timeOf(first.created_at) || Infinity, events[0]?.at ?? Infinity);
  const steps: ScoreStep[] = [{ at: start, score: first.conclusion.mean_a, version: first.version_a }];
  const marks: ScoreMark[] = [];
  for (const { at, kind, e } of events) {
    marks.push({ at, score: e.conclusion.mean_b, version: e.version_b, kind, experimentId: e.id });
    if (kind === 'promoted') steps.push({ at, score: e.conclusion.mean_b, version: e.version_b });
    if (kind === 'rolled_back') steps.push({ at, score: e.conclusion.mean_a, version: e.version_a });
  }
  return { component, steps, marks };
}

/** The steps as a line that holds each score until the next change, and the last one until `now`. */
export function stepLine(steps: readonly ScoreStep[], now: number): ScoreStep[] {
  return steps.flatMap((step, i) => {
    const next = steps[i + 1];
    const until = next ? next.at : Math.max(now, step.at);
    return [step, { ...step, at: until }];
  });
}
