import { ChangeRules, Conclusion, DEFAULT_CHANGE_RULES } from '../../domain/evolution';
import type { AutonomyLevel } from '../../domain/enums';
import {
  advance,
  Answer,
  EvolutionContext,
  EvolutionEvent,
  EvolutionState,
  EvolutionStep,
  failureRecord,
  ProposalOutcome,
  refusedAnswer,
  startEvolution,
} from '../../evolution/evolutionSteps';

/**
 * The evolution's decisions, driven directly: a scripted world answers each step the machine
 * asks for, and the test reads the steps taken and the finish step (no Temporal, no database).
 */
interface World {
  level?: AutonomyLevel;
  rules?: Partial<ChangeRules>;
  proposer?: 'model' | 'offline';
  rewrite?: ProposalOutcome;
  tunables?: ProposalOutcome;
  tunableCount?: number;
  verdict?: Conclusion['verdict'];
  /** The verdict of each experiment in order, when they differ (the last one repeats). */
  verdicts?: Conclusion['verdict'][];
  /** The current version as read at each read_context, in order (the last one repeats). */
  currents?: string[];
  answer?: Answer | null;
  /** Regression found at the n-th watch check (1-based). */
  regressAt?: number;
  candidateVersion?: string | null;
  baselineVersion?: string | null;
  autoPromotions?: number;
  /** What each guarded promotion finds, in order: 'ok', or the version current instead (refused). */
  promotions?: string[];
  /** The guarded rollback finds this version current instead of the candidate. */
  rollbackFinds?: string;
}

const conclusion = (verdict: Conclusion['verdict']): Conclusion => ({
  verdict,
  winner: null,
  test: 'exact paired sign-flip',
  n: 20,
  mean_a: 0.5,
  mean_b: verdict === 'b_better' ? 0.7 : 0.5,
  effect: verdict === 'b_better' ? 0.2 : verdict === 'a_better' ? -0.2 : 0,
  effect_dz: 1,
  ci_low: 0.1,
  ci_high: 0.3,
  p_value: verdict === 'no_difference' ? 0.6 : 0.001,
  alpha: 0.05,
  must_pass_failed: [],
  summary: `summary ${verdict}`,
});

function drive(w: World) {
  const rules = { ...DEFAULT_CHANGE_RULES, watch_window_minutes: 3, watch_check_interval_minutes: 1, ...w.rules };
  const currents = w.currents ?? ['aaaa'];
  let reads = 0;
  let checks = 0;
  let promotions = 0;
  let experiments = 0;
  let now = 1_000_000;
  const context = (): EvolutionContext => ({
    currentVersion: currents[Math.min(reads++, currents.length - 1)],
    autonomyLevel: w.level ?? 'full',
    rules,
    hasSuite: true,
    tunableCount: w.tunableCount ?? 2,
  });
  const respond = (step: Exclude<EvolutionStep, { kind: 'finish' }>): EvolutionEvent => {
    switch (step.kind) {
      case 'read_context':
        return { type: 'context_read', context: context() };
      case 'ask_proposer':
        return { type: 'proposer_known', proposer: w.proposer ?? 'offline' };
      case 'propose':
        return {
          type: 'proposed',
          proposal: (step.operator === 'model' ? w.rewrite : w.tunables) ?? { version: 'bbbb', detail: 'k1 1.2→1.5' },
        };
      case 'open_experiment':
        return { type: 'experiment_opened' };
      case 'run_experiment': {
        const verdict = w.verdicts ? w.verdicts[Math.min(experiments++, w.verdicts.length - 1)] : w.verdict;
        return { type: 'concluded', conclusion: conclusion(verdict ?? 'b_better') };
      }
      case 'count_auto_promotions':
        return { type: 'auto_promotions_counted', count: w.autoPromotions ?? 0 };
      case 'record':
        return { type: 'recorded', now };
      case 'await_answer':
        return { type: 'answered', answer: w.answer ?? null };
      case 'promote': {
        const found = w.promotions?.[promotions++] ?? 'ok';
        return found === 'ok' ? { type: 'promoted' } : { type: 'promotion_refused', current: found };
      }
      case 'watch':
        now += step.sleepMs;
        return { type: 'watched', check: { regressed: ++checks === w.regressAt, reason: 'error rate 50 % vs 0 %' }, now };
      case 'roll_back':
        return w.rollbackFinds ? { type: 'rollback_refused', current: w.rollbackFinds } : { type: 'rolled_back' };
    }
  };
  const taken: EvolutionStep[] = [];
  const states: EvolutionState[] = [];
  let t = startEvolution({
    evolutionId: 'x1',
    component: 'calc',
    candidateVersion: w.candidateVersion ?? null,
    baselineVersion: w.baselineVersion ?? null,
  });
  while (t.step.kind !== 'finish') {
    taken.push(t.step);
    states.push(t.state);
    t = advance(t.state, respond(t.step));
  }
  const finished = advance(t.state, { type: 'finished' }).state;
  return { finish: t.step, kinds: taken.map((s) => s.kind), taken, states, finished };
}

test('full: an offline winner is proposed, tested, promoted, watched to the end of the window', () => {
  const { finish, kinds, taken, finished } = drive({ level: 'full' });
  expect(kinds).toEqual([
    'read_context',
    'ask_proposer',
    'propose',
    'open_experiment',
    'run_experiment',
    'read_context',
    'count_auto_promotions',
    'promote',
    'record',
    'watch',
    'watch',
    'watch',
  ]);
  expect(taken[2]).toEqual({ kind: 'propose', operator: 'tunables', baseVersion: 'aaaa' });
  expect(taken[4]).toEqual({ kind: 'run_experiment', experimentId: 'x1', versionA: 'aaaa', versionB: 'bbbb' });
  expect(taken[7]).toEqual({ kind: 'promote', experimentId: 'x1', version: 'bbbb', base: 'aaaa', decidedBy: 'system', round: 0 });
  expect(taken[8]).toMatchObject({
    record: {
      status: 'approved',
      candidate: 'bbbb',
      decision: { action: 'promote', outcome: 'promoted', autonomy_level: 'full' },
    },
  });
  expect(finish).toEqual({
    kind: 'finish',
    record: null,
    improvement: 0.2,
    result: {
      experimentId: 'x1',
      outcome: 'promoted',
      candidateVersion: 'bbbb',
      rolledBack: false,
      reason: expect.stringMatching(/^significant winner at autonomy level full/),
    },
  });
  expect(finished).toMatchObject({ stage: 'done: promoted', decided: true });
});

test('the watch checks every interval and stops at the end of the window, however the interval divides it', () => {
  const { taken } = drive({ level: 'full', rules: { watch_window_minutes: 2.5, watch_check_interval_minutes: 1 } });
  expect(taken.filter((s) => s.kind === 'watch').map((s) => (s as { sleepMs: number }).sleepMs)).toEqual([
    60_000, 60_000, 30_000,
  ]);
  expect(drive({ level: 'full', rules: { watch_window_minutes: 0 } }).kinds.at(-1)).toBe('record');
});

test('a regression in the watch window rolls back to version A, and the improvement counts as 0', () => {
  const { finish, taken } = drive({ level: 'full', regressAt: 2 });
  expect(taken.at(-1)).toEqual({
    kind: 'roll_back',
    experimentId: 'x1',
    version: 'aaaa',
    promoted: 'bbbb',
    reason: 'automatic rollback in the watch window: error rate 50 % vs 0 %',
  });
  expect(finish).toMatchObject({
    record: null,
    improvement: 0,
    result: { outcome: 'promoted', rolledBack: true, reason: 'automatic rollback in the watch window: error rate 50 % vs 0 %' },
  });
});

test('a model rewrite that compiles is the candidate, and counts as a rewrite (critical at semi_auto)', () => {
  const { taken, finish } = drive({
    level: 'semi_auto',
    proposer: 'model',
    rewrite: { version: 'cccc', detail: 'rewrote scoring' },
  });
  expect(taken[2]).toEqual({ kind: 'propose', operator: 'model', baseVersion: 'aaaa' });
  expect(taken.find((s) => s.kind === 'record')).toMatchObject({
    record: {
      status: 'awaiting_approval',
      candidate: null,
      decision: { outcome: 'pending', reason: expect.stringMatching(/code rewrite is critical/) },
    },
  });
  expect(finish).toMatchObject({
    result: { outcome: 'expired', candidateVersion: 'cccc' },
    record: { status: 'expired', candidate: 'cccc' },
  });
});

test('a refused rewrite: the offline operator stands in, and the detail says why the rewrite was refused', () => {
  const { taken, states } = drive({
    level: 'full',
    proposer: 'model',
    rewrite: { version: null, detail: 'did not compile' },
    tunables: { version: 'dddd', detail: 'b 0→0.75' },
  });
  expect(taken.filter((s) => s.kind === 'propose').map((s) => (s as { operator: string }).operator)).toEqual([
    'model',
    'tunables',
  ]);
  expect(states.at(-1)).toMatchObject({
    isRewrite: false,
    proposalDetail: "b 0→0.75; the model's rewrite was refused: did not compile",
  });
});

test.each([
  [
    'a refused rewrite and no tunables',
    { proposer: 'model' as const, rewrite: { version: null, detail: 'did not compile' }, tunableCount: 0 },
    'did not compile',
  ],
  ['offline with no tunables', { tunableCount: 0 }, 'nothing to propose'],
  [
    'a mutant identical to A',
    { tunables: { version: 'aaaa', detail: 'no mutant scored better on the training cases' } },
    'no mutant scored better on the training cases',
  ],
])('no candidate (%s): the experiment is recorded completed with the reason, and nothing is tested', (_name, w, detail) => {
  const { finish, kinds } = drive(w);
  expect(kinds).not.toContain('run_experiment');
  expect(kinds.at(-1)).toBe('open_experiment');
  expect(finish).toMatchObject({
    improvement: 0,
    result: { outcome: 'no_candidate', candidateVersion: null, reason: detail },
    record: {
      status: 'completed',
      candidate: null,
      decision: { action: 'reject', outcome: 'not_promoted', reason: `no candidate: ${detail}` },
    },
  });
});

test('a version chosen by a person is tested as it is, without proposing', () => {
  const { kinds } = drive({ candidateVersion: 'eeee' });
  expect(kinds.slice(0, 3)).toEqual(['read_context', 'open_experiment', 'run_experiment']);
});

test.each(['a_better', 'no_difference'] as const)(
  'a %s verdict is not promoted, and the candidate is marked with the reason',
  (verdict) => {
    const { finish, kinds } = drive({ verdict });
    expect(kinds).not.toContain('promote');
    expect(finish).toMatchObject({
      improvement: 0,
      result: { outcome: 'not_promoted' },
      record: { status: 'completed', candidate: 'bbbb', decision: { decided_by: 'system' } },
    });
  },
);

test('a baseline that is not the current version: compared, never promoted, no improvement claimed', () => {
  const { finish, kinds } = drive({ baselineVersion: 'ffff' });
  expect(kinds).not.toContain('count_auto_promotions');
  expect(finish).toMatchObject({
    improvement: null,
    result: { outcome: 'not_promoted', candidateVersion: 'bbbb' },
    record: {
      candidate: null,
      decision: {
        reason: 'comparison only: A (ffff) was not the current version (aaaa), so nothing is promoted. summary b_better',
      },
    },
  });
});

test('the current version moved during the experiment: superseded, and the candidate is re-tested against the new current version', () => {
  const { finish, taken } = drive({ currents: ['aaaa', 'zzzz'] });
  const superseded = taken.find((s) => s.kind === 'record');
  expect(superseded).toEqual({
    kind: 'record',
    record: {
      experimentId: 'x1',
      status: 'completed',
      candidate: null,
      decision: expect.objectContaining({
        outcome: 'not_promoted',
        reason:
          'superseded: the current version moved during the experiment (aaaa → zzzz); the candidate is re-tested against zzzz as experiment x1.retest-1',
      }),
    },
  });
  const retest = taken.slice(taken.indexOf(superseded!) + 1);
  expect(retest.slice(0, 2)).toEqual([
    { kind: 'open_experiment', experimentId: 'x1.retest-1', versionA: 'zzzz', candidate: 'bbbb' },
    { kind: 'run_experiment', experimentId: 'x1.retest-1', versionA: 'zzzz', versionB: 'bbbb' },
  ]);
  expect(retest.find((s) => s.kind === 'promote')).toEqual({
    kind: 'promote',
    experimentId: 'x1.retest-1',
    version: 'bbbb',
    base: 'zzzz',
    decidedBy: 'system',
    round: 1,
  });
  expect(finish).toMatchObject({ result: { experimentId: 'x1.retest-1', outcome: 'promoted' } });
});

test('the guarded promotion finds another version current: re-tested; a re-test the candidate loses is not promoted', () => {
  const { finish, taken } = drive({ promotions: ['yyyy'], currents: ['aaaa', 'aaaa', 'yyyy'] });
  expect(taken.filter((s) => s.kind === 'run_experiment').map((s) => (s as { versionA: string }).versionA)).toEqual([
    'aaaa',
    'yyyy',
  ]);
  expect(taken.find((s) => s.kind === 'record')).toMatchObject({
    record: {
      decision: { reason: expect.stringMatching(/^superseded: the current version moved before the promotion \(aaaa → yyyy\)/) },
    },
  });
  expect(finish).toMatchObject({ result: { outcome: 'promoted' } });

  const lost = drive({ promotions: ['yyyy'], currents: ['aaaa', 'aaaa', 'yyyy'], verdicts: ['b_better', 'a_better'] });
  expect(lost.kinds.filter((k) => k === 'promote')).toHaveLength(1);
  expect(lost.finish).toMatchObject({
    result: { outcome: 'not_promoted', experimentId: 'x1.retest-1' },
    record: { experimentId: 'x1.retest-1', candidate: 'bbbb' },
  });
});

test('a person approved, then another evolution promoted first: the re-test asks a person again', () => {
  const { taken, finish } = drive({
    level: 'manual',
    promotions: ['yyyy'],
    currents: ['aaaa', 'aaaa', 'yyyy'],
    answer: { approved: true, by: 'ada', reason: null },
  });
  const promotes = taken.filter((s) => s.kind === 'promote');
  expect(promotes.map((s) => [(s as { base: string }).base, (s as { decidedBy: string }).decidedBy])).toEqual([
    ['aaaa', 'ada'],
    ['yyyy', 'ada'],
  ]);
  expect(taken.filter((s) => s.kind === 'await_answer')).toHaveLength(2);
  expect(taken.find((s) => s.kind === 'record' && s.record.status === 'completed')).toMatchObject({
    record: { experimentId: 'x1', decision: { decided_by: 'ada' } },
  });
  expect(finish.result.experimentId).toBe('x1.retest-1');
});

test('superseded by this very candidate, or with the re-tests used up: not promoted, the candidate not marked rejected', () => {
  const same = drive({ promotions: ['bbbb'] });
  expect(same.kinds.filter((k) => k === 'run_experiment')).toHaveLength(1);
  expect(same.finish).toMatchObject({
    record: {
      candidate: null,
      decision: { reason: 'superseded: the current version moved before the promotion (aaaa → bbbb), to this very candidate' },
    },
    result: { outcome: 'not_promoted' },
  });

  const usedUp = drive({ promotions: ['v1', 'v2', 'v3'], currents: ['aaaa', 'aaaa', 'v1', 'v2'] });
  expect(
    usedUp.taken.filter((s) => s.kind === 'run_experiment').map((s) => (s as { experimentId: string }).experimentId),
  ).toEqual(['x1', 'x1.retest-1', 'x1.retest-2']);
  expect(usedUp.finish).toMatchObject({
    record: {
      experimentId: 'x1.retest-2',
      candidate: null,
      decision: {
        reason:
          'superseded: the current version moved before the promotion (v2 → v3), and its 2 re-tests are used up; not promoted',
      },
    },
    result: { outcome: 'not_promoted', experimentId: 'x1.retest-2' },
  });
});

test('a regression, but another promotion replaced this one meanwhile: nothing is rolled back', () => {
  const { finish } = drive({ regressAt: 1, rollbackFinds: 'cccc' });
  expect(finish).toMatchObject({
    result: {
      outcome: 'promoted',
      rolledBack: false,
      reason: expect.stringMatching(/bbbb is no longer current \(cccc is\): nothing rolled back$/),
    },
  });
});

test('manual: a person approves → promoted with their name and reason; rejects → rejected; silence → expired', () => {
  const approved = drive({ level: 'manual', answer: { approved: true, by: 'ada', reason: 'looks right' } });
  expect(approved.taken.find((s) => s.kind === 'promote')).toMatchObject({
    kind: 'promote',
    version: 'bbbb',
    base: 'aaaa',
    decidedBy: 'ada',
  });
  expect(approved.finish).toMatchObject({ result: { outcome: 'promoted', reason: 'looks right' } });

  const rejected = drive({ level: 'manual', answer: { approved: false, by: 'bob', reason: null } });
  expect(rejected.finish).toMatchObject({
    improvement: 0,
    result: { outcome: 'rejected', reason: 'rejected by a person' },
    record: { status: 'rejected', decision: { decided_by: 'bob' } },
  });

  const expired = drive({ level: 'manual', rules: { approval_timeout_minutes: 5 } });
  expect(expired.taken.find((s) => s.kind === 'await_answer')).toEqual({ kind: 'await_answer', timeoutMs: 300_000 });
  expect(expired.finish).toMatchObject({
    result: { outcome: 'expired', reason: 'no decision within 5 minutes' },
    record: { status: 'expired' },
  });
});

test('the hourly limit hands an automatic promotion to a person', () => {
  const { taken } = drive({ level: 'full', autoPromotions: 3 });
  expect(taken.find((s) => s.kind === 'record')).toMatchObject({
    record: { decision: { action: 'await_approval', reason: expect.stringMatching(/3 automatic promotions in the last hour/) } },
  });
});

test("a person's answer is accepted only while the machine waits for one, and only once", () => {
  const { states } = drive({ level: 'manual', answer: { approved: true, by: 'ada', reason: null } });
  const phases = states.map((s) => refusedAnswer(s, null) === null);
  // Accepting from the moment it decides to ask (before "awaiting approval" is recorded) until answered.
  expect(states.filter((_, i) => phases[i]).map((s) => s.stage)).toEqual(['awaiting approval', 'awaiting approval']);
  const waiting = states.find((s) => refusedAnswer(s, null) === null)!;
  expect(refusedAnswer(waiting, { approved: false, by: 'bob', reason: null })).toBe('experiment x1 was already rejected by bob');
  expect(refusedAnswer(states[0], null)).toBe('experiment x1 is not awaiting approval (it is starting)');
});

test('a failure is recorded with the stage it happened in, opening the record first when needed; not once decided', () => {
  const { states } = drive({ level: 'full' });
  expect(failureRecord(states[0], 'boom')).toBeNull(); // the context was never read
  const proposing = states.find((s) => s.stage === 'proposing')!;
  expect(failureRecord(proposing, 'model timed out')).toEqual({
    open: { kind: 'open_experiment', experimentId: 'x1', versionA: 'aaaa', candidate: null },
    experimentId: 'x1',
    reason: 'the experiment failed while proposing: model timed out',
    candidate: null,
  });
  const experimenting = states.find((s) => s.stage === 'experimenting')!;
  expect(failureRecord(experimenting, 'no held-out cases')).toEqual({
    open: null,
    experimentId: 'x1',
    reason: 'the experiment failed while experimenting: no held-out cases',
    candidate: 'bbbb',
  });
  expect(
    failureRecord(
      states.find((s) => s.stage === 'watching')!,
      'boom',
    ),
  ).toBeNull();
});

test('an outcome the machine is not waiting for is refused', () => {
  const { state } = startEvolution({ evolutionId: 'x1', component: 'calc', candidateVersion: null, baselineVersion: null });
  expect(() => advance(state, { type: 'promoted' })).toThrow('evolution step: promoted is not expected while reading_context');
});

test('every phase refuses the outcome of another step, and the machine does not finish before its finish step', () => {
  const { states } = drive({ level: 'full', regressAt: 2 });
  const waiting = states.filter((s) => s.phase !== 'opening');
  expect(new Set(waiting.map((s) => s.phase)).size).toBeGreaterThan(5);
  for (const state of waiting)
    expect(() => advance(state, { type: 'experiment_opened' })).toThrow(`experiment_opened is not expected while ${state.phase}`);
  expect(() => advance(states[0], { type: 'finished' })).toThrow('finished is not expected while reading_context');
});
