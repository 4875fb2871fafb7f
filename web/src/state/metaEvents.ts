/**
 * The meta stream as the console keeps it: the stored timeline first, then
 * live events, each seq once and in order. Pure; unit-tested in
 * test/unit/web-metaEvents.test.ts.
 */
import { MetaEventData } from '../../../domain/events';
import { MetaEventView } from '../api/evolutionDocuments';
import { freshInOrder } from './sequencedEvents';

/** Enough for every test event of a few experiments; older ones are dropped. */
const META_EVENTS_KEPT = 2000;

export interface MetaState {
  loaded: boolean;
  lastSeq: number;
  events: readonly MetaEventView[];
  /** Events received that failed their schema (counted and reported, not applied). */
  unreadable: number;
}
export const initialMetaState: MetaState = { loaded: false, lastSeq: 0, events: [], unreadable: 0 };

/** Received meta events checked against their schema: those that pass, and how many did not. */
export interface ReadMetaEvents {
  events: MetaEventView[];
  unreadable: number;
}

export function readMetaEvents(received: readonly unknown[]): ReadMetaEvents {
  const events: MetaEventView[] = [];
  for (const r of received) {
    const parsed = MetaEventView.safeParse(r);
    if (parsed.success) events.push(parsed.data);
  }
  return { events, unreadable: received.length - events.length };
}

export type MetaAction = ({ type: 'loaded' } | { type: 'events' }) & ReadMetaEvents;

export function metaReducer(state: MetaState, action: MetaAction): MetaState {
  const base = {
    ...state,
    loaded: state.loaded || action.type === 'loaded',
    unreadable: state.unreadable + action.unreadable,
  };
  const fresh = freshInOrder(action.events, base.lastSeq);
  if (fresh.length === 0) return action.type === 'loaded' || action.unreadable ? base : state;
  const events = [...base.events, ...fresh];
  return {
    ...base,
    lastSeq: fresh[fresh.length - 1]!.seq,
    events: events.length > META_EVENTS_KEPT ? events.slice(-META_EVENTS_KEPT) : events,
  };
}

/** The seq of the newest event whose type is one of `types` (0 if none): a value to refetch on. */
export function lastSeqOfTypes(events: readonly MetaEventView[], types: ReadonlySet<string>): number {
  for (let i = events.length - 1; i >= 0; i--) if (types.has(events[i]!.type)) return events[i]!.seq;
  return 0;
}

export interface ExperimentProgress {
  /** Latest stage and fraction per stage name (e.g. "testing version A"). */
  stages: { stage: string; progress: number; message: string | null }[];
  /** Per arm and case: the case results as they arrived. */
  cases: Map<string, { a?: LiveCase; b?: LiveCase; holdout: boolean }>;
  testsDone: { a: number; b: number };
}
export interface LiveCase {
  passed: boolean;
  mean_score: number | null;
  latency_ms: number | null;
  failure: string | null;
}

/** The meta events experimentProgress reads; others are passed over before parsing. */
const PROGRESS_TYPES: ReadonlySet<string> = new Set(['learning_progress', 'test_completed']);

/** What the live events say about one experiment while it runs: each event's data read through its domain schema. */
export function experimentProgress(events: readonly MetaEventView[], experimentId: string): ExperimentProgress {
  const stages = new Map<string, { stage: string; progress: number; message: string | null }>();
  const cases = new Map<string, { a?: LiveCase; b?: LiveCase; holdout: boolean }>();
  const testsDone = { a: 0, b: 0 };
  for (const e of events) {
    if (!PROGRESS_TYPES.has(e.type)) continue;
    const parsed = MetaEventData.safeParse(e.data);
    if (!parsed.success) continue;
    const d = parsed.data;
    if (d.type === 'learning_progress' && d.experiment_id === experimentId) {
      stages.set(d.stage, { stage: d.stage, progress: d.progress, message: d.message ?? null });
    } else if (d.type === 'test_completed' && d.experiment_id === experimentId && (d.arm === 'a' || d.arm === 'b')) {
      const row = cases.get(d.case_id) ?? { holdout: d.holdout ?? false };
      if (!row[d.arm]) testsDone[d.arm] += 1;
      row[d.arm] = {
        passed: d.passed,
        mean_score: d.mean_score ?? null,
        latency_ms: d.latency_ms ?? null,
        failure: d.failure ?? null,
      };
      cases.set(d.case_id, row);
    }
  }
  return { stages: [...stages.values()], cases, testsDone };
}
