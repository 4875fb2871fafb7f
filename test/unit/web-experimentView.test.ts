import { DEFAULT_CHANGE_RULES } from '../../domain/evolution';
import type { MetaEventView } from '../../web/src/api/evolutionDocuments';
import { draftOf, validateDraft } from '../../web/src/meta/changeRulesForm';
import {
  caseRows,
  decisionAvailability,
  statsOf,
  verdictInWords,
  wilsonInterval,
} from '../../web/src/experiments/experimentView';
import {
  experimentProgress,
  initialMetaState,
  lastSeqOfTypes,
  metaReducer,
  readMetaEvents,
} from '../../web/src/state/metaEvents';

const ev = (seq: number, data: Record<string, unknown>): MetaEventView => ({
  seq,
  type: String(data.type),
  data,
  created_at: 'x',
});

describe('experiment view', () => {
  it('gives the Wilson interval of a pass rate', () => {
    const w = wilsonInterval(8, 10);
    expect(w.rate).toBe(0.8);
    expect(w.low).toBeCloseTo(0.49, 2);
    expect(w.high).toBeCloseTo(0.943, 2);
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, low: 0, high: 0 });
  });

  it('states the verdict in words', () => {
    const c = {
      verdict: 'b_better' as const,
      winner: 'b',
      test: 'paired test',
      n: 8,
      mean_a: 0,
      mean_b: 1,
      effect: 1,
      effect_dz: 0,
      ci_low: 1,
      ci_high: 1,
      p_value: 0.0078,
      alpha: 0.05,
      must_pass_failed: [],
      summary: '',
    };
    expect(verdictInWords(c, 'aaaaaaaaaaaa', 'bbbbbbbbbbbb')).toBe(
      'B (bbbbbbbb) is better than A (aaaaaaaa): mean score 1.000 for B against 0.000 for A on 8 held-out cases; difference +1.000 (95 % CI 1.000 to 1.000, p = 0.008, paired test).',
    );
    expect(verdictInWords({ ...c, verdict: 'no_difference' }, 'a', 'b')).toMatch(
      /^No significant difference between A and B at α = 0.05/,
    );
    expect(verdictInWords({ ...c, verdict: 'no_difference', differing: 4, min_p_value: 0.125 }, 'a', 'b')).toMatch(
      /^No verdict: only 4 held-out cases differ; the smallest p an exact sign-flip test can give is 2\/2\^4 = 0.125 ≥ α = 0.05\. mean score/,
    );
  });

  it('lets a person decide only when the experiment waits for one, and says why not otherwise', () => {
    const decision = (outcome: string, by = 'system') => ({
      action: 'promote' as const,
      outcome: outcome as never,
      reason: 'why',
      decided_by: by,
      autonomy_level: 'semi_auto' as const,
      at: 'x',
    });
    expect(decisionAvailability({ status: 'awaiting_approval', decision: decision('pending'), stage: null })).toEqual({
      enabled: true,
      reason: 'why',
    });
    expect(decisionAvailability({ status: 'running', decision: null, stage: 'experimenting' }).enabled).toBe(false);
    expect(decisionAvailability({ status: 'approved', decision: decision('promoted'), stage: null }).reason).toBe(
      'Already decided: promoted by the system at semi_auto — why',
    );
    expect(decisionAvailability({ status: 'expired', decision: decision('expired'), stage: null }).reason).toContain(
      'Nobody decided in time',
    );
  });

  it('fills per-case rows from live events until the stored results arrive', () => {
    /** Experiment e's arm ran case x0 (a training case): passed scores 1, failed 0. */
    const caseX0Completed = (seq: number, arm: 'a' | 'b', passed: boolean, latency_ms: number) =>
      ev(seq, {
        type: 'test_completed',
        experiment_id: 'e',
        component: 'scaler',
        version: arm === 'a' ? 'v1' : 'v2',
        arm,
        case_id: 'x0',
        holdout: false,
        passed,
        mean_score: passed ? 1 : 0,
        latency_ms,
      });
    let state = metaReducer(initialMetaState, {
      type: 'loaded',
      ...readMetaEvents([ev(1, { type: 'experiment_started', experiment_id: 'e' })]),
    });
    state = metaReducer(state, {
      type: 'events',
      ...readMetaEvents([
        caseX0Completed(3, 'b', true, 4),
        caseX0Completed(2, 'a', false, 6),
        // The same event again (seq 3): the reducer keeps one.
        caseX0Completed(3, 'b', true, 4),
        ev(4, { type: 'learning_progress', experiment_id: 'e', component: 'scaler', stage: 'testing version A', progress: 0.25 }),
        ev(5, {
          type: 'test_completed',
          experiment_id: 'other',
          component: 'scaler',
          version: 'v9',
          arm: 'a',
          case_id: 'x9',
          passed: true,
        }),
        // Fails its schema (no data): counted, never applied.
        { seq: 6, type: 'test_completed', created_at: 'x' },
        // Data that fails its event's own schema (domain/events.ts): kept in the timeline, left out of the progress.
        ev(7, { type: 'learning_progress', experiment_id: 'e', component: 'scaler', stage: 'hostile', progress: 'lots' }),
        ev(8, {
          type: 'test_completed',
          experiment_id: 'e',
          component: 'scaler',
          version: 'v1',
          arm: 'a',
          case_id: 'x1',
          passed: 'no',
        }),
      ]),
    });
    expect(state.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    expect(state.unreadable).toBe(1);
    expect(lastSeqOfTypes(state.events, new Set(['learning_progress']))).toBe(7);
    const live = experimentProgress(state.events, 'e');
    expect(live.testsDone).toEqual({ a: 1, b: 1 });
    expect(live.stages).toEqual([{ stage: 'testing version A', progress: 0.25, message: null }]);
    const rows = caseRows(null, null, live);
    expect(rows).toEqual([
      {
        id: 'x0',
        holdout: false,
        a: { passed: false, score: 0, latency: 6, failure: null },
        b: { passed: true, score: 1, latency: 4, failure: null },
      },
    ]);
    expect(statsOf(rows, 'b')).toMatchObject({ cases: 1, passed: 1, box: { median: 4 } });
  });
});

describe('change rules form', () => {
  it('validates with the shared schema and saves only what changed', () => {
    const draft = draftOf(DEFAULT_CHANGE_RULES);
    expect(validateDraft(draft, DEFAULT_CHANGE_RULES)).toEqual({ ok: true, patch: {}, rules: DEFAULT_CHANGE_RULES });
    const bad = validateDraft({ ...draft, min_improvement: '7', max_auto_promotions_per_hour: 'x' }, DEFAULT_CHANGE_RULES);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['max_auto_promotions_per_hour', 'min_improvement']);
    const good = validateDraft(
      { ...draft, critical_components: 'scaler, calculator', rewrites_are_critical: 'false' },
      DEFAULT_CHANGE_RULES,
    );
    expect(good).toMatchObject({
      ok: true,
      patch: { critical_components: ['scaler', 'calculator'], rewrites_are_critical: false },
    });
  });
});
