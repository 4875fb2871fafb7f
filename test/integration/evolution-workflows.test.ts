import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../../activities';
import type { AutonomyLevel } from '../../domain/enums';
import {
  abExperimentWorkflowId,
  ChangeRules,
  Conclusion,
  DEFAULT_CHANGE_RULES,
  Decision,
  EvolveComponentInput,
  EvolveComponentResult,
} from '../../domain/evolution';
import { approveExperimentUpdate, rejectExperimentUpdate } from '../../workflows/evolutionMessages';
import { conclusionFor, suiteSummary } from '../support/evolutionFixtures';
import { recordHistoryFixture } from '../support/historyFixtures';
import { useTimeSkipping } from '../support/timeSkipping';

/**
 * evolveComponent under every autonomy level and change rule, on Temporal's time-skipping
 * test server (approval timeouts and the watch window pass in milliseconds), with the
 * activities mocked by plain objects typed from the real factory.
 */

type EvolutionMock = Pick<
  Activities,
  | 'readEvolutionContext'
  | 'describeProposer'
  | 'proposeOfflineCandidate'
  | 'proposeModelRewrite'
  | 'openExperiment'
  | 'runSandboxedSuite'
  | 'judgeExperiment'
  | 'countRecentAutoPromotions'
  | 'recordDecision'
  | 'changeCurrentVersion'
  | 'measureLiveRegression'
  | 'recordPredictionOutcome'
  | 'computePredictions'
  | 'markPredictionExecuting'
  | 'exportEvolutionTrace'
>;

interface Scenario {
  level: AutonomyLevel;
  rules?: Partial<ChangeRules>;
  verdict?: Conclusion['verdict'];
  regress?: boolean;
  /** Version A when it is not the current version. */
  baseline?: string;
  /** The judging step fails for good. */
  judgeFails?: boolean;
  /** A version chosen by a person instead of the operator's proposal. */
  candidate?: string;
  /** The watch's measurement fails: this many times while the store is down, or for good. */
  watchFails?: { times: number } | 'for_good';
  /** Sending the trace fails for good (the exporter's store reads gave up). */
  traceFails?: boolean;
  /** This run's histories become the evolveComponent and abExperiment replay fixtures (when re-recording). */
  record?: boolean;
}

/** What several evolutions share: the component's current version, and a barrier before deciding. */
interface World {
  current: string;
  /** Resolves once this many evolutions have reached their decision (the barrier); null: no barrier. */
  deciding: { waiting: number; release: () => void; released: Promise<void> } | null;
}
const soloWorld = (): World => ({ current: 'aaaaaaaaaaaa', deciding: null });

function mockActivities(s: Scenario, world: World = soloWorld()) {
  const calls = {
    promoted: [] as string[],
    rolledBack: [] as string[],
    decisions: [] as { experimentId: string; decision: Decision; status: string }[],
    outcomes: [] as (number | null)[],
    /** Why each settled prediction achieved nothing (null: it finished). */
    failures: [] as (string | null)[],
    watchAttempts: 0,
    /** Every change of the current version: from → to, by experiment. */
    changes: [] as { from: string; to: string; experimentId: string | null }[],
    arms: new Map<string, { a?: string; b?: string }>(),
    /** The evolutions whose trace was sent, in order. */
    traced: [] as string[],
  };
  const rules = { ...DEFAULT_CHANGE_RULES, watch_window_minutes: 10, watch_check_interval_minutes: 1, ...s.rules };
  /** The changes made, by idempotency key. */
  const landed = new Map<string, { from: string; to: string }>();
  const activities: EvolutionMock = {
    async readEvolutionContext() {
      return { currentVersion: world.current, autonomyLevel: s.level, rules, hasSuite: true, tunableCount: 2 };
    },
    async describeProposer() {
      return 'offline';
    },
    async proposeOfflineCandidate() {
      return {
        version: 'bbbbbbbbbbbb',
        kind: 'tunables',
        detail: 'k1 1.2→1.5',
        base_train_score: 0.5,
        candidate_train_score: 0.7,
        params: { k1: 1.5 },
      };
    },
    async proposeModelRewrite() {
      throw new Error('not used offline');
    },
    async openExperiment() {
      /* stored */
    },
    async runSandboxedSuite(input) {
      calls.arms.set(input.experimentId, { ...calls.arms.get(input.experimentId), [input.arm]: input.version });
      return suiteSummary(10, 8);
    },
    async judgeExperiment() {
      if (s.judgeFails) throw ApplicationFailure.nonRetryable('suite calculator has no held-out cases');
      return conclusionFor(s.verdict ?? 'b_better');
    },
    async countRecentAutoPromotions() {
      if (world.deciding && --world.deciding.waiting === 0) world.deciding.release();
      await world.deciding?.released;
      return 0;
    },
    async recordDecision(input) {
      calls.decisions.push({ experimentId: input.experimentId, decision: input.decision, status: input.status });
    },
    async changeCurrentVersion(input) {
      // Slow on purpose: a second change of the component arrives while this one runs.
      await new Promise((r) => setTimeout(r, 300));
      // Idempotent by key, as the real activity is: the test server's clock can skip past this
      // attempt's timeout while it sleeps, and the retry must not mistake its own change for another's.
      const made = landed.get(input.key);
      if (made) return { changed: true, ...made };
      if (input.expectedCurrent !== null && world.current !== input.expectedCurrent)
        return { changed: false, current: world.current };
      const from = world.current;
      world.current = input.version;
      landed.set(input.key, { from, to: input.version });
      calls.changes.push({ from, to: input.version, experimentId: input.experimentId });
      if (input.kind === 'promote') calls.promoted.push(`${input.version} by ${input.by.detail}`);
      else calls.rolledBack.push(input.version);
      return { changed: true, from, to: input.version };
    },
    async measureLiveRegression() {
      const failing = s.watchFails === 'for_good' || ++calls.watchAttempts <= (s.watchFails?.times ?? 0);
      if (s.watchFails === 'for_good') throw ApplicationFailure.nonRetryable('no component named calculator');
      if (failing) throw new Error('connection to the store refused');
      return {
        regressed: Boolean(s.regress),
        reason: s.regress ? 'error rate 50 % vs 0 %' : 'within thresholds',
        samples: 20,
        error_rate: s.regress ? 0.5 : 0,
        baseline_error_rate: 0,
        avg_latency_ms: 1,
        baseline_avg_latency_ms: 1,
      };
    },
    async recordPredictionOutcome(input) {
      calls.outcomes.push(input.actualImprovement);
      calls.failures.push(input.failure ?? null);
    },
    async computePredictions() {
      return [];
    },
    async markPredictionExecuting() {
      return true;
    },
    async exportEvolutionTrace(run) {
      calls.traced.push(run.id);
      if (s.traceFails) throw ApplicationFailure.nonRetryable('the store is gone');
    },
  };
  return { activities, calls };
}

const temporal = useTimeSkipping();

let counter = 0;
const inputFor = (s: Scenario, evolutionId: string): EvolveComponentInput => ({
  evolutionId,
  component: 'calculator',
  goal: null,
  predictionId: 'p1',
  seed: 1,
  candidateVersion: s.candidate ?? null,
  repetitions: 1,
  requestedBy: 'test',
  baselineVersion: s.baseline ?? null,
});

async function run(
  s: Scenario,
  drive?: (h: Awaited<ReturnType<TestWorkflowEnvironment['client']['workflow']['start']>>) => Promise<void>,
) {
  const { activities, calls } = mockActivities(s);
  const taskQueue = `evolve-${++counter}`;
  const input = inputFor(s, `e${counter}`);
  const result = await temporal
    .runWorker(taskQueue, activities, async () => {
      const handle = await temporal.env.client.workflow.start('evolveComponent', {
        taskQueue,
        workflowId: `evolve-${counter}`,
        args: [input],
      });
      if (drive) await drive(handle);
      const ended = (await handle.result()) as EvolveComponentResult & { error?: unknown };
      if (s.record) {
        await recordHistoryFixture(handle, 'evolveComponent');
        const experiment = temporal.env.client.workflow.getHandle(abExperimentWorkflowId(ended.experimentId));
        await recordHistoryFixture(experiment, 'abExperiment');
      }
      return ended;
    })
    .catch((err: unknown): EvolveComponentResult & { error?: unknown } => ({
      experimentId: '',
      outcome: 'failed',
      candidateVersion: null,
      rolledBack: false,
      reason: String(err),
      error: err,
    }));
  return { result, calls };
}

const untilAwaiting = async (handle: { query: (q: string) => Promise<unknown> }) => {
  for (let i = 0; i < 200; i++) {
    if ((await handle.query('evolutionStage')) === 'awaiting approval') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('never reached awaiting approval');
};

test('manual: waits for a person, then promotes what they approve', async () => {
  const { result, calls } = await run({ level: 'manual', record: true }, async (h) => {
    await untilAwaiting(h);
    const decided = await h.executeUpdate(approveExperimentUpdate, { args: [{ by: 'ada', reason: 'looks right' }] });
    expect(decided).toMatchObject({ outcome: 'promoted', decided_by: 'ada' });
    // Decided: a second answer is refused by the update's validator, and changes nothing.
    await expect(h.executeUpdate(rejectExperimentUpdate, { args: [{ by: 'bob', reason: null }] })).rejects.toThrow(
      WorkflowUpdateFailedError,
    );
  });
  expect(result.outcome).toBe('promoted');
  expect(calls.decisions.map((d) => d.status)).toEqual(['awaiting_approval', 'approved']);
  expect(calls.promoted).toEqual(['bbbbbbbbbbbb by ada']);
  expect(calls.decisions[1].decision.decided_by).toBe('ada');
  expect(calls.outcomes).toEqual([0.3]);
  expect(calls.traced).toEqual([result.experimentId]);
});

test('manual: no decision within the approval timeout expires unpromoted', async () => {
  const { result, calls } = await run({ level: 'manual', rules: { approval_timeout_minutes: 60 } });
  expect(result.outcome).toBe('expired');
  expect(calls.promoted).toEqual([]);
  expect(calls.decisions.at(-1)).toMatchObject({ status: 'expired', decision: { outcome: 'expired' } });
});

test('assisted: a person can reject', async () => {
  const { result, calls } = await run({ level: 'assisted' }, async (h) => {
    await untilAwaiting(h);
    await expect(h.executeUpdate(rejectExperimentUpdate, { args: [{ by: 'bob', reason: 'not now' }] })).resolves.toMatchObject({
      outcome: 'rejected',
    });
  });
  expect(result.outcome).toBe('rejected');
  expect(calls.promoted).toEqual([]);
  expect(calls.decisions.at(-1)?.decision).toMatchObject({ outcome: 'rejected', decided_by: 'bob', reason: 'not now' });
});

test('semi_auto: promotes a non-critical winner by itself', async () => {
  const { result, calls } = await run({ level: 'semi_auto' });
  expect(result).toMatchObject({ outcome: 'promoted', rolledBack: false });
  expect(calls.promoted).toEqual(['bbbbbbbbbbbb by system']);
});

test('a trace that cannot be sent changes nothing: the evolution still promotes and returns its result', async () => {
  const { result, calls } = await run({ level: 'semi_auto', traceFails: true });
  expect(result).toMatchObject({ outcome: 'promoted', rolledBack: false });
  expect(calls.promoted).toEqual(['bbbbbbbbbbbb by system']);
  expect(calls.traced).toHaveLength(1);
});

test('semi_auto: a critical component waits for a person (and expires without one)', async () => {
  const { result, calls } = await run({
    level: 'semi_auto',
    rules: { critical_components: ['calculator'], approval_timeout_minutes: 5 },
  });
  expect(result.outcome).toBe('expired');
  expect(calls.decisions[0]).toMatchObject({ status: 'awaiting_approval' });
  expect(calls.decisions[0].decision.reason).toMatch(/critical/);
  expect(calls.promoted).toEqual([]);
});

test('full: promotes winners, even critical ones; protected ones still wait', async () => {
  expect((await run({ level: 'full', rules: { critical_components: ['calculator'] } })).calls.promoted).toEqual([
    'bbbbbbbbbbbb by system',
  ]);
  const prot = await run({ level: 'full', rules: { protected_components: ['calculator'], approval_timeout_minutes: 1 } });
  expect(prot.result.outcome).toBe('expired');
});

test.each(['a_better', 'no_difference'] as const)('full: a %s verdict is never promoted', async (verdict) => {
  const { result, calls } = await run({ level: 'full', verdict });
  expect(result.outcome).toBe('not_promoted');
  expect(calls.promoted).toEqual([]);
  expect(calls.decisions).toEqual([
    expect.objectContaining({ status: 'completed', decision: expect.objectContaining({ action: 'reject' }) }),
  ]);
});

test('manual: a loser never even reaches a person', async () => {
  const { result, calls } = await run({ level: 'manual', verdict: 'a_better' });
  expect(result.outcome).toBe('not_promoted');
  expect(calls.decisions.map((d) => d.status)).toEqual(['completed']);
});

test('a regression in the watch window rolls the promotion back automatically', async () => {
  const { result, calls } = await run({ level: 'full', regress: true });
  expect(result).toMatchObject({ outcome: 'promoted', rolledBack: true });
  expect(calls.rolledBack).toEqual(['aaaaaaaaaaaa']);
  expect(result.reason).toMatch(/automatic rollback/);
  expect(calls.outcomes).toEqual([0]);
});

test('the hourly limit on automatic promotions hands the decision to a person', async () => {
  const { result } = await run({ level: 'full', rules: { max_auto_promotions_per_hour: 0, approval_timeout_minutes: 1 } });
  expect(result.outcome).toBe('expired');
});

test('a baseline other than the current version is compared, never promoted', async () => {
  const { result, calls } = await run({ level: 'full', baseline: 'cccccccccccc' });
  expect(result.outcome).toBe('not_promoted');
  expect(calls.promoted).toEqual([]);
  expect(calls.decisions).toEqual([expect.objectContaining({ status: 'completed' })]);
  expect(calls.decisions[0].decision.reason).toMatch(
    /comparison only: A \(cccccccccccc\) was not the current version \(aaaaaaaaaaaa\)/,
  );
  expect(calls.outcomes).toEqual([null]);
});

test('a failing experiment is recorded as failed, with its cause, and the workflow fails', async () => {
  const { result, calls } = await run({ level: 'full', judgeFails: true });
  expect(result.error).toBeInstanceOf(WorkflowFailedError);
  expect(calls.promoted).toEqual([]);
  expect(calls.decisions).toEqual([expect.objectContaining({ status: 'failed' })]);
  expect(calls.decisions[0].decision.reason).toBe(
    'the experiment failed while experimenting: suite calculator has no held-out cases',
  );
  expect(calls.outcomes).toEqual([null]);
  // A failed evolution sends its trace too.
  expect(calls.traced).toHaveLength(1);
});

test('the store is down for minutes while the promoted version is watched: the watch retries until it is back', async () => {
  // 12 failed attempts span 1+2+4+8+16+6×30 s ≈ 3.5 minutes of workflow time (5 attempts in about 7 s gave up before).
  const { result, calls } = await run({ level: 'full', watchFails: { times: 12 } });
  expect(result).toMatchObject({ outcome: 'promoted', rolledBack: false });
  expect(calls.watchAttempts).toBeGreaterThan(12);
  expect(calls.outcomes).toEqual([0.3]);
  expect(calls.failures).toEqual([null]);
});

test('a watch that fails for good settles the prediction with the reason (the promotion stays recorded)', async () => {
  const { result, calls } = await run({ level: 'full', watchFails: 'for_good' });
  expect(result.error).toBeInstanceOf(WorkflowFailedError);
  expect(calls.promoted).toEqual(['bbbbbbbbbbbb by system']);
  expect(calls.decisions.map((d) => d.decision.outcome)).toEqual(['promoted']);
  expect(calls.outcomes).toEqual([null]);
  expect(calls.failures).toEqual(['the evolution ended while watching: no component named calculator']);
});

test('a cancelled evolution records its experiment failed and settles its prediction, with the reason', async () => {
  const { result, calls } = await run({ level: 'manual' }, async (handle) => {
    await untilAwaiting(handle);
    await handle.cancel();
  });
  expect(result.error).toBeInstanceOf(WorkflowFailedError);
  expect(calls.decisions.map((d) => d.status)).toEqual(['awaiting_approval', 'failed']);
  expect(calls.decisions[1].decision.reason).toMatch(/^the experiment failed while awaiting approval: /);
  expect(calls.outcomes).toEqual([null]);
  expect(calls.failures).toEqual([calls.decisions[1].decision.reason]);
});

test('two evolutions of one component decide at once: one promotion per base, and the later one is re-tested against the earlier winner', async () => {
  let release = () => undefined as void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const world: World = { current: 'aaaaaaaaaaaa', deciding: { waiting: 2, release: () => release(), released } };
  const { activities, calls } = mockActivities({ level: 'full', rules: { watch_window_minutes: 0 } }, world);
  const taskQueue = `evolve-${++counter}`;
  const results = await temporal.runWorker(taskQueue, activities, () =>
    Promise.all(
      ['b1b1b1b1b1b1', 'b2b2b2b2b2b2'].map(async (candidate, i) => {
        const input = inputFor({ level: 'full', candidate }, `race${counter}-${i}`);
        const handle = await temporal.env.client.workflow.start('evolveComponent', {
          taskQueue,
          workflowId: `evolve-race${counter}-${i}`,
          args: [input],
        });
        return (await handle.result()) as EvolveComponentResult;
      }),
    ),
  );

  // Both passed the decision with A current; the guarded promotion let exactly one through per base.
  expect(calls.changes).toHaveLength(2);
  expect(new Set(calls.changes.map((c) => c.from)).size).toBe(2);
  const [first, second] = calls.changes;
  expect(first.from).toBe('aaaaaaaaaaaa');
  expect(second.from).toBe(first.to);
  expect(world.current).toBe(second.to);
  // Every promotion won an experiment whose A was the version it replaced.
  for (const change of calls.changes) expect(calls.arms.get(change.experimentId!)).toEqual({ a: change.from, b: change.to });
  expect(second.experimentId).toMatch(/\.retest-1$/);
  expect(results.map((r) => r.outcome)).toEqual(['promoted', 'promoted']);
  const superseded = calls.decisions.find((d) => d.decision.reason.startsWith('superseded'));
  expect(superseded?.decision.reason).toMatch(
    /^superseded: the current version moved before the promotion \(aaaaaaaaaaaa → (b1b1b1b1b1b1|b2b2b2b2b2b2)\); the candidate is re-tested against/,
  );
});
