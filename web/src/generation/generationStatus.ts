/** Where a generated tool is, in words, and how often the console should look again. */
import type { GeneratedTestRun, GeneratedToolView } from '../../../domain/generation';

export type GenerationStatus =
  'drafting' | 'awaiting_suite' | 'testing' | 'awaiting_approval' | 'promoted' | 'rejected' | 'refused' | 'expired';

/** The stage until it is decided, then the decision's outcome (the API reports `done` only with its decision). */
export const statusOf = (g: Pick<GeneratedToolView, 'stage' | 'decision'>): GenerationStatus =>
  g.decision ? g.decision.outcome : g.stage === 'done' ? 'drafting' : g.stage;

export const STATUS_WORDS: Record<GenerationStatus, string> = {
  drafting: 'drafting',
  awaiting_suite: 'awaiting suite acceptance',
  testing: 'testing the accepted suite',
  awaiting_approval: 'awaiting approval',
  promoted: 'promoted',
  rejected: 'rejected',
  refused: 'refused',
  expired: 'expired',
};

/** Drawn like the experiment statuses they resemble (styles/panels.css `exp-*`). */
export const STATUS_CLASS: Record<GenerationStatus, string> = {
  drafting: 'exp-running',
  testing: 'exp-running',
  awaiting_suite: 'exp-awaiting_approval',
  awaiting_approval: 'exp-awaiting_approval',
  promoted: 'exp-approved',
  rejected: 'exp-rejected',
  refused: 'exp-failed',
  expired: 'exp-expired',
};

/** Statuses the system leaves by itself, soon: the console looks again quickly. */
const MOVING = new Set<GenerationStatus>(['drafting', 'testing']);
/** Statuses only a person (anywhere) ends: the console looks again now and then. */
const WAITING = new Set<GenerationStatus>(['awaiting_suite', 'awaiting_approval']);
export const FAST_POLL_MS = 1500;
export const SLOW_POLL_MS = 10_000;

/**
 * How long until the console asks again (null: never, all are decided). Fast while the system
 * is at work, or while a person's answer from this console has not yet moved the workflow on
 * (its stage changes a moment after the answer is taken).
 */
export function pollDelayMs(statuses: readonly GenerationStatus[], answered: boolean): number | null {
  if (answered || statuses.some((s) => MOVING.has(s))) return FAST_POLL_MS;
  return statuses.some((s) => WAITING.has(s)) ? SLOW_POLL_MS : null;
}

/** The sandbox run in words: "5 of 6 cases pass". */
export function runInWords(run: Pick<GeneratedTestRun, 'cases'> | null): string {
  if (!run) return 'not run';
  const passed = run.cases.filter((c) => c.passed).length;
  return `${passed} of ${run.cases.length} cases pass`;
}
