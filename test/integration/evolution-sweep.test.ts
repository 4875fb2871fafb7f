import type { Activities } from '../../activities';
import type { AutonomyLevel } from '../../domain/enums';
import {
  DEFAULT_CHANGE_RULES,
  Decision,
  EvolutionSweepInput,
  EvolutionSweepResult,
  evolveWorkflowId,
  PredictionRecord,
} from '../../domain/evolution';
import { evolutionStageQuery, rejectExperimentUpdate } from '../../workflows/evolutionMessages';
import { conclusionFor, suiteSummary } from '../support/evolutionFixtures';
import { useTimeSkipping } from '../support/timeSkipping';

/**
 * evolutionSweep by autonomy level, on Temporal's time-skipping test server: at manual it only
 * predicts; from assisted up it starts evolutions, and at assisted those wait for a person to decide.
 * Activities are plain objects typed from the real factory; one executable prediction, whose
 * candidate clearly wins.
 */

type SweepMock = Pick<
  Activities,
  | 'computePredictions'
  | 'markPredictionExecuting'
  | 'readAutonomyLevel'
  | 'readEvolutionContext'
  | 'describeProposer'
  | 'proposeOfflineCandidate'
  | 'openExperiment'
  | 'runSandboxedSuite'
  | 'judgeExperiment'
  | 'countRecentAutoPromotions'
  | 'recordDecision'
  | 'recordPredictionOutcome'
  | 'exportEvolutionTrace'
>;

const prediction: PredictionRecord = {
  id: 'pred-scaler-failing_cases',
  component: 'scaler',
  kind: 'failing_cases',
  title: 'scaler: 18 of 18 suite cases fail',
  description: '',
  expected_improvement: 0.5,
  confidence: 0.5,
  estimated_effort: 1,
  priority: 10,
  executable: true,
  status: 'open',
  experiment_id: null,
  failure: null,
  actual_improvement: null,
  created_at: '',
  updated_at: '',
};

function mockActivities(level: AutonomyLevel) {
  const calls = { executing: [] as string[], decisions: [] as Decision['outcome'][] };
  const activities: SweepMock = {
    async computePredictions() {
      return [prediction, { ...prediction, id: 'pred-notes-unused_component', component: 'notes', executable: false }];
    },
    async markPredictionExecuting(input) {
      calls.executing.push(input.experimentId);
      return true;
    },
    async readAutonomyLevel() {
      return level;
    },
    async readEvolutionContext() {
      return {
        currentVersion: 'aaaaaaaaaaaa',
        autonomyLevel: level,
        rules: DEFAULT_CHANGE_RULES,
        hasSuite: true,
        tunableCount: 1,
      };
    },
    async describeProposer() {
      return 'offline';
    },
    async proposeOfflineCandidate() {
      return {
        version: 'bbbbbbbbbbbb',
        kind: 'tunables',
        detail: 'factor 1→3',
        base_train_score: 0,
        candidate_train_score: 1,
        params: { factor: 3 },
      };
    },
    async openExperiment() {
      /* stored */
    },
    async runSandboxedSuite() {
      return suiteSummary(18, 18);
    },
    async judgeExperiment() {
      return conclusionFor('b_better');
    },
    async countRecentAutoPromotions() {
      return 0;
    },
    async recordDecision(input) {
      calls.decisions.push(input.decision.outcome);
    },
    async recordPredictionOutcome() {
      /* stored */
    },
    async exportEvolutionTrace() {
      /* sent */
    },
  };
  return { activities, calls };
}

const temporal = useTimeSkipping();

let counter = 0;
/** Runs one sweep at `level`; `drive` sees its result while the worker still runs the evolutions it started. */
async function sweep(level: AutonomyLevel, drive: (result: EvolutionSweepResult) => Promise<void> = async () => undefined) {
  const { activities, calls } = mockActivities(level);
  const taskQueue = `sweep-${++counter}`;
  const input: EvolutionSweepInput = { maxExecutions: 2 };
  const result = await temporal.runWorker(taskQueue, activities, async () => {
    const r = (await temporal.env.client.workflow.execute('evolutionSweep', {
      taskQueue,
      workflowId: `sweep-${counter}`,
      args: [input],
    })) as EvolutionSweepResult;
    await drive(r);
    return r;
  });
  return { result, calls };
}

test('manual: the sweep only computes predictions and starts nothing', async () => {
  const { result, calls } = await sweep('manual');
  expect(result).toEqual({ predictions: 2, started: [], level: 'manual' });
  expect(calls.executing).toEqual([]);
});

test('assisted: the sweep starts an evolution of the executable prediction, which waits for a person', async () => {
  const { result, calls } = await sweep('assisted', async ({ started }) => {
    const evolution = temporal.env.client.workflow.getHandle(evolveWorkflowId(started[0]));
    for (let i = 0; i < 200 && (await evolution.query(evolutionStageQuery)) !== 'awaiting approval'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await evolution.query(evolutionStageQuery)).toBe('awaiting approval');
    await expect(
      evolution.executeUpdate(rejectExperimentUpdate, { args: [{ by: 'ada', reason: 'a person decides' }] }),
    ).resolves.toMatchObject({ outcome: 'rejected' });
    expect(await evolution.result()).toMatchObject({ outcome: 'rejected', candidateVersion: 'bbbbbbbbbbbb' });
  });
  expect(result.level).toBe('assisted');
  expect(result.started).toHaveLength(1);
  expect(calls.executing).toEqual(result.started);
  expect(calls.decisions).toEqual(['pending', 'rejected']);
});
