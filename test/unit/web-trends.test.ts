import type { ExperimentSummary, PredictionView } from '../../web/src/api/evolutionDocuments';
import { executedPredictions, sharedDomain } from '../../web/src/trends/predictionAccuracy';
import { scoreHistories, stepLine } from '../../web/src/trends/scoreHistory';
import { conclusionFor } from '../support/evolutionFixtures';

const t = (minute: number) => new Date(Date.UTC(2026, 11, 7, 12, minute)).toISOString();

function experiment(id: string, over: Partial<ExperimentSummary> & { outcome?: string; at: number }): ExperimentSummary {
  const { outcome = 'promoted', at, ...rest } = over;
  return {
    id,
    status: 'completed',
    stage: null,
    component: 'calculator',
    version_a: 'a',
    version_b: 'b',
    goal: null,
    conclusion: conclusionFor('b_better'),
    decision: {
      action: 'promote',
      outcome,
      reason: '',
      decided_by: 'system',
      autonomy_level: 'full',
      at: t(at),
    } as ExperimentSummary['decision'],
    rolled_back: null,
    workflow_id: null,
    created_at: t(at - 1),
    updated_at: t(at),
    prediction_id: null,
    ...rest,
  };
}

describe('scoreHistories', () => {
  it('steps the score in use at each promotion and rollback, and marks every decision by its own time', () => {
    const [history, ...others] = scoreHistories([
      // Listed out of order: the history is by time.
      experiment('e2', {
        version_a: 'b',
        version_b: 'c',
        at: 20,
        outcome: 'not_promoted',
        conclusion: { ...conclusionFor('a_better'), mean_a: 0.8 },
      }),
      experiment('e1', { at: 10, rolled_back: { at: t(30), reason: 'errors' } }),
      experiment('e3', { version_a: 'a', version_b: 'd', at: 40, outcome: 'pending' }),
      experiment('e4', { component: 'other', at: 5, conclusion: null }),
    ]);
    expect(others).toEqual([]);
    expect(history.component).toBe('calculator');
    expect(history.steps).toEqual([
      { at: Date.parse(t(9)), score: 0.5, version: 'a' },
      { at: Date.parse(t(10)), score: 0.8, version: 'b' },
      { at: Date.parse(t(30)), score: 0.5, version: 'a' },
    ]);
    expect(history.marks.map((m) => [m.kind, m.version, m.score, m.experimentId, m.at])).toEqual([
      ['promoted', 'b', 0.8, 'e1', Date.parse(t(10))],
      ['refused', 'c', 0.2, 'e2', Date.parse(t(20))],
      ['rolled_back', 'b', 0.8, 'e1', Date.parse(t(30))],
    ]);
  });

  it('draws each score held until the next change, the last one until now', () => {
    const steps = [
      { at: 1, score: 0.5, version: 'a' },
      { at: 5, score: 0.8, version: 'b' },
    ];
    expect(stepLine(steps, 9).map((s) => [s.at, s.score])).toEqual([
      [1, 0.5],
      [5, 0.5],
      [5, 0.8],
      [9, 0.8],
    ]);
  });
});

describe('executedPredictions', () => {
  const prediction = (id: string, status: PredictionView['status'], actual: number | null): PredictionView => ({
    id,
    component: 'calculator',
    kind: 'failing_cases',
    title: id,
    description: '',
    expected_improvement: 0.2,
    confidence: 0.5,
    estimated_effort: 1,
    priority: 1,
    executable: true,
    status,
    experiment_id: `x-${id}`,
    actual_improvement: actual,
    failure: null,
  });

  it('keeps the done ones with a measured improvement, on one domain that holds them and zero', () => {
    const points = executedPredictions([
      prediction('p1', 'done', -0.1),
      prediction('p2', 'open', null),
      prediction('p3', 'failed', null),
    ]);
    expect(points).toEqual([
      { id: 'p1', title: 'p1', component: 'calculator', predicted: 0.2, actual: -0.1, experimentId: 'x-p1' },
    ]);
    const [low, high] = sharedDomain(points);
    expect(low).toBeLessThan(-0.1);
    expect(high).toBeGreaterThan(0.2);
    expect(sharedDomain([])).toEqual([-0.08, 0.08]);
  });
});
