import type { AutonomyLevel } from '../domain/enums';
import type {
  ApprovalInput,
  ChangeRules,
  Conclusion,
  Decision,
  EvolveComponentInput,
  EvolveComponentResult,
  ExperimentStatus,
} from '../domain/evolution';
import { experimentIdFor, retestExperimentId } from '../domain/evolutionWorkflowNames';
import { decidePromotion, type PromotionAnswer } from './decidePromotion';

/**
 * The decisions of one evolution (evolveComponent), as a pure state machine: given the state and
 * the outcome of the last step, the next state and the next step. The workflow only performs
 * steps (activities, a child experiment, a timer, a person's answer) and feeds their outcomes
 * back, so every path is testable without Temporal and every exit is one `finish` step.
 *
 * Order of a run: read the context → propose (a model rewrite, the offline operator standing in
 * when it is refused) → open the experiment record → A/B experiment → read the level and rules
 * in force now → decide (decidePromotion) → wait for a person if needed → promote if A is still
 * current → watch the live version and roll it back on a regression.
 *
 * Conflicts are resolved, not only refused: when the current version moved away from A (another
 * evolution promoted first, seen at the decision or refused by the guarded promotion), this
 * experiment is marked superseded with the reason, and the candidate is re-tested against the
 * new current version as a new experiment of the same run (at most MAX_RETESTS times), decided
 * afresh by the same rules. So every promotion beat the version it replaced.
 */
const MAX_RETESTS = 2;

/** What the workflow reads before deciding: the current version, autonomy level and rules. */
export interface EvolutionContext {
  currentVersion: string;
  autonomyLevel: AutonomyLevel;
  rules: ChangeRules;
  hasSuite: boolean;
  tunableCount: number;
}

export interface ProposalOutcome {
  version: string | null;
  detail: string;
}
export interface RegressionOutcome {
  regressed: boolean;
  reason: string;
}
export type Answer = ApprovalInput & { approved: boolean };

/** A decision to store on an experiment; the workflow stamps its time. */
export interface DecisionRecord {
  experimentId: string;
  decision: Omit<Decision, 'at'>;
  status: ExperimentStatus;
  /** The candidate to mark rejected (null: it is not judged by this decision). */
  candidate: string | null;
}

export type EvolutionStep =
  | { kind: 'read_context' }
  | { kind: 'ask_proposer' }
  | { kind: 'propose'; operator: 'model' | 'tunables'; baseVersion: string }
  | { kind: 'open_experiment'; experimentId: string; versionA: string; candidate: string | null }
  | { kind: 'run_experiment'; experimentId: string; versionA: string; versionB: string }
  | { kind: 'count_auto_promotions' }
  | { kind: 'record'; record: DecisionRecord }
  | { kind: 'await_answer'; timeoutMs: number }
  /** Promote `version` if `base` is still the current version (one guarded step). */
  | { kind: 'promote'; experimentId: string; version: string; base: string; decidedBy: string; round: number }
  | { kind: 'watch'; sleepMs: number; version: string; baselineVersion: string; rules: ChangeRules }
  /** Roll back to `version` if `promoted` is still the current version. */
  | { kind: 'roll_back'; experimentId: string; version: string; promoted: string; reason: string }
  | { kind: 'finish'; record: DecisionRecord | null; result: EvolveComponentResult; improvement: number | null };

export type EvolutionEvent =
  | { type: 'context_read'; context: EvolutionContext }
  | { type: 'proposer_known'; proposer: 'model' | 'offline' }
  | { type: 'proposed'; proposal: ProposalOutcome }
  | { type: 'experiment_opened' }
  | { type: 'concluded'; conclusion: Conclusion }
  | { type: 'auto_promotions_counted'; count: number }
  /** `now`: workflow time in ms, from which the watch window is measured. */
  | { type: 'recorded'; now: number }
  /** null: no answer within the approval timeout. */
  | { type: 'answered'; answer: Answer | null }
  | { type: 'promoted' }
  /** The guarded promotion found another version current: nothing changed. */
  | { type: 'promotion_refused'; current: string }
  | { type: 'watched'; check: RegressionOutcome; now: number }
  | { type: 'rolled_back' }
  | { type: 'rollback_refused'; current: string }
  /** The finish step was performed: its record and the prediction's outcome are stored. */
  | { type: 'finished' };

/** Which step's outcome the machine waits for. */
type Phase =
  | 'reading_context'
  | 'asking_proposer'
  | 'proposing_rewrite'
  | 'proposing_tunables'
  | 'opening'
  | 'experimenting'
  | 'reading_decision_context'
  | 'counting'
  | 'recording_pending'
  | 'awaiting'
  | 'promoting'
  | 'recording_superseded'
  | 'recording_promotion'
  | 'watching'
  | 'rolling_back'
  | 'done';

export interface EvolutionState {
  input: Pick<EvolveComponentInput, 'evolutionId' | 'component' | 'candidateVersion' | 'baselineVersion'>;
  /** 0 for the first experiment, n for the n-th re-test against a newer current version. */
  round: number;
  /** This round's experiment. */
  experimentId: string;
  phase: Phase;
  /** What the run is doing, in words (the workflow's stage query; failures name it). */
  stage: string;
  /** The context read at the start. */
  started: EvolutionContext | null;
  /** A was not the current version at the start: compare only, promote nothing. */
  comparisonOnly: boolean;
  /** Version A of this round; null until the context is read. */
  versionA: string | null;
  candidate: string | null;
  /** This round's experiment record is stored. */
  stored: boolean;
  /** Promoted or finished: a failure from here on leaves the record as it is. */
  decided: boolean;
  /** The model's proposal, kept while the offline operator stands in for it. */
  rewrite: ProposalOutcome | null;
  isRewrite: boolean;
  proposalDetail: string;
  conclusion: Conclusion | null;
  /** The context in force at this round's decision. */
  decisionContext: EvolutionContext | null;
  verdict: PromotionAnswer | null;
  decidedBy: string;
  watchEnds: number;
  rollbackReason: string;
  /** The finish step, once the machine reached it. */
  finish: Extract<EvolutionStep, { kind: 'finish' }> | null;
}

export interface Transition {
  state: EvolutionState;
  step: EvolutionStep;
}

export function startEvolution(input: EvolutionState['input']): Transition {
  const state: EvolutionState = {
    input,
    round: 0,
    experimentId: experimentIdFor(input.evolutionId),
    phase: 'reading_context',
    stage: 'starting',
    started: null,
    comparisonOnly: false,
    versionA: null,
    candidate: input.candidateVersion,
    stored: false,
    decided: false,
    rewrite: null,
    isRewrite: false,
    proposalDetail: 'a version chosen by a person',
    conclusion: null,
    decisionContext: null,
    verdict: null,
    decidedBy: 'system',
    watchEnds: 0,
    rollbackReason: '',
    finish: null,
  };
  return { state, step: { kind: 'read_context' } };
}

/** The handler of one event in one phase: the next state and step (it may change `s`, the state's own copy). */
type Handle<T extends EvolutionEvent['type']> = (s: EvolutionState, event: Extract<EvolutionEvent, { type: T }>) => Transition;
/** What a phase does with each event it expects; any other event is a bug in the workflow. */
type PhaseHandlers = { [T in EvolutionEvent['type']]?: Handle<T> };

/** The next state and step, given the outcome of the step the state waits for. */
export function advance(state: EvolutionState, event: EvolutionEvent): Transition {
  // The table pairs each event type with its handler; TypeScript cannot follow that pairing through the lookup.
  const handle = PHASES[state.phase][event.type] as Handle<EvolutionEvent['type']> | undefined;
  if (!handle) throw unexpected(state, event);
  return handle({ ...state }, event);
}

const unexpected = (state: EvolutionState, event: EvolutionEvent) =>
  new Error(`evolution step: ${event.type} is not expected while ${state.phase}`);

/** The context at the start: version A, and whether a candidate must be proposed first. */
const contextRead: Handle<'context_read'> = (s, { context }) => {
  s.started = context;
  s.versionA = s.input.baselineVersion ?? context.currentVersion;
  s.comparisonOnly = s.versionA !== context.currentVersion;
  if (s.candidate) return open(s);
  s.stage = 'proposing';
  return go(s, 'asking_proposer', { kind: 'ask_proposer' });
};

const proposerKnown: Handle<'proposer_known'> = (s, { proposer }) =>
  proposer === 'model'
    ? go(s, 'proposing_rewrite', { kind: 'propose', operator: 'model', baseVersion: s.versionA! })
    : proposeTunablesOr(s, null);

/** A refused rewrite leaves the proposal to the offline operator. */
const rewriteProposed: Handle<'proposed'> = (s, { proposal }) => {
  s.rewrite = proposal;
  return proposal.version ? chosen(s, proposal, true) : proposeTunablesOr(s, proposal);
};

/** With its record stored, the experiment runs, unless there is nothing to compare. */
const experimentOpened: Handle<'experiment_opened'> = (s) => {
  s.stored = true;
  const versionA = s.versionA!;
  if (!s.candidate || s.candidate === versionA) {
    return finish(
      s,
      { action: 'reject', outcome: 'not_promoted', reason: `no candidate: ${s.proposalDetail}`, decided_by: 'system' },
      s.started!.autonomyLevel,
      'completed',
      null,
      { outcome: 'no_candidate', candidateVersion: null, reason: s.proposalDetail },
      0,
    );
  }
  s.stage = 'experimenting';
  return go(s, 'experimenting', { kind: 'run_experiment', experimentId: s.experimentId, versionA, versionB: s.candidate });
};

const concluded: Handle<'concluded'> = (s, { conclusion }) => {
  s.conclusion = conclusion;
  // The level and rules in force now, when the decision is made.
  return go(s, 'reading_decision_context', { kind: 'read_context' });
};

/** A comparison only ends here; else the hourly count of automatic promotions is the last fact the decision needs. */
const decisionContextRead: Handle<'context_read'> = (s, { context }) => {
  s.decisionContext = context;
  if (!s.comparisonOnly) return go(s, 'counting', { kind: 'count_auto_promotions' });
  const reason = `comparison only: A (${s.versionA}) was not the current version (${s.started!.currentVersion}), so nothing is promoted. ${s.conclusion!.summary}`;
  return finish(
    s,
    { action: 'reject', outcome: 'not_promoted', reason, decided_by: 'system' },
    context.autonomyLevel,
    'completed',
    null,
    { outcome: 'not_promoted', candidateVersion: s.candidate, reason },
    null,
  );
};

/** The decision (decidePromotion): reject, re-test against a newer current version, promote, or ask a person. */
const autoPromotionsCounted: Handle<'auto_promotions_counted'> = (s, { count }) => {
  const now = s.decisionContext!;
  const verdict = decidePromotion({
    component: s.input.component,
    conclusion: s.conclusion!,
    level: now.autonomyLevel,
    rules: now.rules,
    isRewrite: s.isRewrite,
    recentAutoPromotions: count,
  });
  s.verdict = verdict;
  if (verdict.action === 'reject') return notPromoted(s, verdict.reason, 'system');
  // A winner against a version that is no longer current proves nothing about the new one.
  if (now.currentVersion !== s.versionA) return supersede(s, now.currentVersion, 'during the experiment');
  if (verdict.action === 'promote') return promote(s);
  // Open to a person's answer before the record says so: whoever reads "awaiting approval"
  // and answers at once must find the workflow ready for it (see refusedAnswer).
  s.stage = 'awaiting approval';
  return go(s, 'recording_pending', {
    kind: 'record',
    record: {
      experimentId: s.experimentId,
      status: 'awaiting_approval',
      candidate: null,
      decision: {
        action: 'await_approval',
        outcome: 'pending',
        reason: verdict.reason,
        decided_by: 'system',
        autonomy_level: now.autonomyLevel,
      },
    },
  });
};

const pendingRecorded: Handle<'recorded'> = (s) =>
  go(s, 'awaiting', { kind: 'await_answer', timeoutMs: s.decisionContext!.rules.approval_timeout_minutes * 60_000 });

/** A person's answer, or none within the approval timeout. */
const answered: Handle<'answered'> = (s, { answer }) => {
  const level = s.decisionContext!.autonomyLevel;
  if (!answer) {
    const reason = `no decision within ${s.decisionContext!.rules.approval_timeout_minutes} minutes`;
    return finish(
      s,
      { action: 'reject', outcome: 'expired', reason, decided_by: 'system' },
      level,
      'expired',
      s.candidate,
      { outcome: 'expired', candidateVersion: s.candidate, reason },
      0,
    );
  }
  if (!answer.approved) {
    const reason = answer.reason ?? 'rejected by a person';
    return finish(
      s,
      { action: 'reject', outcome: 'rejected', reason, decided_by: answer.by },
      level,
      'rejected',
      s.candidate,
      { outcome: 'rejected', candidateVersion: s.candidate, reason },
      0,
    );
  }
  s.decidedBy = answer.by;
  s.verdict = { action: 'promote', reason: answer.reason ?? `approved by ${answer.by}` };
  return promote(s);
};

const promoted: Handle<'promoted'> = (s) =>
  go(s, 'recording_promotion', {
    kind: 'record',
    record: {
      experimentId: s.experimentId,
      status: 'approved',
      candidate: s.candidate,
      decision: {
        action: 'promote',
        outcome: 'promoted',
        reason: s.verdict!.reason,
        decided_by: s.decidedBy,
        autonomy_level: s.decisionContext!.autonomyLevel,
      },
    },
  });

const promotionRecorded: Handle<'recorded'> = (s, { now }) => {
  // Decided: a failure while watching leaves the promotion as recorded.
  s.decided = true;
  s.stage = 'watching';
  s.watchEnds = now + s.decisionContext!.rules.watch_window_minutes * 60_000;
  return watchOrFinish(s, now);
};

const watched: Handle<'watched'> = (s, { check, now }) => {
  if (!check.regressed) return watchOrFinish(s, now);
  s.stage = 'rolling back';
  s.rollbackReason = `automatic rollback in the watch window: ${check.reason}`;
  return go(s, 'rolling_back', {
    kind: 'roll_back',
    experimentId: s.experimentId,
    version: s.versionA!,
    promoted: s.candidate!,
    reason: s.rollbackReason,
  });
};

const rolledBack: Handle<'rolled_back'> = (s) =>
  done(s, { outcome: 'promoted', candidateVersion: s.candidate, rolledBack: true, reason: s.rollbackReason }, 0);

/** Another promotion replaced this one meanwhile; rolling back now would undo that one too. */
const rollbackRefused: Handle<'rollback_refused'> = (s, { current }) => {
  const reason = `a regression in the watch window (${s.rollbackReason}), but ${s.candidate} is no longer current (${current} is): nothing rolled back`;
  return done(s, { outcome: 'promoted', candidateVersion: s.candidate, rolledBack: false, reason }, 0);
};

const finished: Handle<'finished'> = (s, event) => {
  if (!s.finish) throw unexpected(s, event);
  s.decided = true;
  s.stage = `done: ${s.finish.result.outcome}`;
  return { state: s, step: s.finish };
};

/** Each phase and the outcomes it waits for, in the order of a run. */
const PHASES: Record<Phase, PhaseHandlers> = {
  reading_context: { context_read: contextRead },
  asking_proposer: { proposer_known: proposerKnown },
  proposing_rewrite: { proposed: rewriteProposed },
  proposing_tunables: { proposed: (s, { proposal }) => chosen(s, proposal, false) },
  opening: { experiment_opened: experimentOpened },
  experimenting: { concluded },
  reading_decision_context: { context_read: decisionContextRead },
  counting: { auto_promotions_counted: autoPromotionsCounted },
  recording_pending: { recorded: pendingRecorded },
  awaiting: { answered },
  promoting: { promoted, promotion_refused: (s, { current }) => supersede(s, current, 'before the promotion') },
  recording_superseded: { recorded: (s) => open(s) },
  recording_promotion: { recorded: promotionRecorded },
  watching: { watched },
  rolling_back: { rolled_back: rolledBack, rollback_refused: rollbackRefused },
  done: { finished },
};

/**
 * Why a person's answer is refused now, or null when it is accepted: from the moment the machine
 * decides to wait for a person (before the record says so) until this round has an answer or the
 * wait expires. `given`: the answer this round already has.
 */
export function refusedAnswer(state: EvolutionState, given: Answer | null): string | null {
  if (given) return `experiment ${state.experimentId} was already ${given.approved ? 'approved' : 'rejected'} by ${given.by}`;
  if (state.phase !== 'recording_pending' && state.phase !== 'awaiting')
    return `experiment ${state.experimentId} is not awaiting approval (it is ${state.stage})`;
  return null;
}

/**
 * After a step failed: the experiment to store first (when this round's record does not exist
 * yet) and the decision to record it failed with; null when there is nothing to record (the
 * context was never read, or the run was already decided).
 */
export function failureRecord(
  state: EvolutionState,
  cause: string,
): {
  open: Extract<EvolutionStep, { kind: 'open_experiment' }> | null;
  experimentId: string;
  reason: string;
  candidate: string | null;
} | null {
  if (!state.versionA || state.decided) return null;
  return {
    open: state.stored
      ? null
      : { kind: 'open_experiment', experimentId: state.experimentId, versionA: state.versionA, candidate: state.candidate },
    experimentId: state.experimentId,
    reason: `the experiment failed while ${state.stage}: ${cause}`,
    candidate: state.candidate,
  };
}

function go(s: EvolutionState, phase: Phase, step: EvolutionStep): Transition {
  return { state: { ...s, phase }, step };
}

function open(s: EvolutionState): Transition {
  return go(s, 'opening', {
    kind: 'open_experiment',
    experimentId: s.experimentId,
    versionA: s.versionA!,
    candidate: s.candidate,
  });
}

/** The offline operator proposes when the component has tunables; else there is no proposal. */
function proposeTunablesOr(s: EvolutionState, rewrite: ProposalOutcome | null): Transition {
  if (s.started!.tunableCount > 0)
    return go(s, 'proposing_tunables', { kind: 'propose', operator: 'tunables', baseVersion: s.versionA! });
  s.candidate = rewrite?.version ?? null;
  s.proposalDetail = rewrite?.detail ?? 'nothing to propose';
  return open(s);
}

function chosen(s: EvolutionState, proposal: ProposalOutcome, isRewrite: boolean): Transition {
  s.candidate = proposal.version;
  s.isRewrite = isRewrite;
  // When the offline operator stood in for a refused rewrite, say why the rewrite was refused.
  const refused = !isRewrite && s.rewrite ? `; the model's rewrite was refused: ${s.rewrite.detail}` : '';
  s.proposalDetail = `${proposal.detail}${refused}`;
  return open(s);
}

function promote(s: EvolutionState): Transition {
  s.stage = 'promoting';
  return go(s, 'promoting', {
    kind: 'promote',
    experimentId: s.experimentId,
    version: s.candidate!,
    base: s.versionA!,
    decidedBy: s.decidedBy,
    round: s.round,
  });
}

/**
 * The current version moved from A to `current` before the candidate could be promoted: this
 * experiment is superseded; the candidate is re-tested against `current` in a new round, unless
 * it is `current` already or the re-tests are used up.
 */
function supersede(s: EvolutionState, current: string, when: string): Transition {
  const level = s.decisionContext!.autonomyLevel;
  const moved = `the current version moved ${when} (${s.versionA} → ${current})`;
  // Not promoted, yet not judged either (no candidate to mark rejected): it was overtaken, not beaten.
  const overtaken = (reason: string) =>
    finish(
      s,
      { action: 'reject', outcome: 'not_promoted', reason, decided_by: s.decidedBy },
      level,
      'completed',
      null,
      { outcome: 'not_promoted', candidateVersion: s.candidate, reason },
      0,
    );
  if (current === s.candidate) return overtaken(`superseded: ${moved}, to this very candidate`);
  if (s.round >= MAX_RETESTS) return overtaken(`superseded: ${moved}, and its ${MAX_RETESTS} re-tests are used up; not promoted`);
  const next = retestExperimentId(s.input.evolutionId, s.round + 1);
  const record: DecisionRecord = {
    experimentId: s.experimentId,
    status: 'completed',
    candidate: null,
    decision: {
      action: 'reject',
      outcome: 'not_promoted',
      reason: `superseded: ${moved}; the candidate is re-tested against ${current} as experiment ${next}`,
      decided_by: s.decidedBy,
      autonomy_level: level,
    },
  };
  Object.assign(s, {
    round: s.round + 1,
    experimentId: next,
    versionA: current,
    stored: false,
    conclusion: null,
    decisionContext: null,
    verdict: null,
    decidedBy: 'system',
    stage: 'experimenting',
  });
  return go(s, 'recording_superseded', { kind: 'record', record });
}

function notPromoted(s: EvolutionState, reason: string, decidedBy: string): Transition {
  return finish(
    s,
    { action: 'reject', outcome: 'not_promoted', reason, decided_by: decidedBy },
    s.decisionContext!.autonomyLevel,
    'completed',
    s.candidate,
    { outcome: 'not_promoted', candidateVersion: s.candidate, reason },
    0,
  );
}

function watchOrFinish(s: EvolutionState, now: number): Transition {
  const rules = s.decisionContext!.rules;
  if (now < s.watchEnds) {
    return go(s, 'watching', {
      kind: 'watch',
      sleepMs: Math.min(rules.watch_check_interval_minutes * 60_000, Math.max(1, s.watchEnds - now)),
      version: s.candidate!,
      baselineVersion: s.versionA!,
      rules,
    });
  }
  return done(
    s,
    { outcome: 'promoted', candidateVersion: s.candidate, rolledBack: false, reason: s.verdict!.reason },
    s.conclusion!.effect,
  );
}

function finish(
  s: EvolutionState,
  decision: Omit<Decision, 'at' | 'autonomy_level'>,
  level: AutonomyLevel,
  status: ExperimentStatus,
  candidate: string | null,
  result: Omit<EvolveComponentResult, 'experimentId' | 'rolledBack'>,
  improvement: number | null,
): Transition {
  const record = { experimentId: s.experimentId, decision: { ...decision, autonomy_level: level }, status, candidate };
  return done(s, { ...result, rolledBack: false }, improvement, record);
}

/** Every exit: the decision to record (if not recorded yet), the result, the prediction's actual improvement. */
function done(
  s: EvolutionState,
  result: Omit<EvolveComponentResult, 'experimentId'>,
  improvement: number | null,
  record: DecisionRecord | null = null,
): Transition {
  s.finish = { kind: 'finish', record, result: { experimentId: s.experimentId, ...result }, improvement };
  return go(s, 'done', s.finish);
}
