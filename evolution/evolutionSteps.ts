import type { AutonomyLevel } from '../domain/enums';
import {
  type ApprovalInput,
  type ChangeRules,
  type Conclusion,
  type Decision,
  type EvolveComponentInput,
  type EvolveComponentResult,
  experimentIdFor,
  type ExperimentStatus,
  retestExperimentId,
} from '../domain/evolution';
import { decidePromotion, PromotionAnswer } from './decidePromotion';

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
export const MAX_RETESTS = 2;

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

/** The next state and step, given the outcome of the step the state waits for. */
export function advance(state: EvolutionState, event: EvolutionEvent): Transition {
  const unexpected = () => new Error(`evolution step: ${event.type} is not expected while ${state.phase}`);
  const s = { ...state };
  switch (s.phase) {
    case 'reading_context': {
      if (event.type !== 'context_read') throw unexpected();
      s.started = event.context;
      s.versionA = s.input.baselineVersion ?? event.context.currentVersion;
      s.comparisonOnly = s.versionA !== event.context.currentVersion;
      if (s.candidate) return open(s);
      s.stage = 'proposing';
      return go(s, 'asking_proposer', { kind: 'ask_proposer' });
    }
    case 'asking_proposer': {
      if (event.type !== 'proposer_known') throw unexpected();
      if (event.proposer === 'model')
        return go(s, 'proposing_rewrite', { kind: 'propose', operator: 'model', baseVersion: s.versionA! });
      return proposeTunablesOr(s, null);
    }
    case 'proposing_rewrite': {
      if (event.type !== 'proposed') throw unexpected();
      s.rewrite = event.proposal;
      if (event.proposal.version) return chosen(s, event.proposal, true);
      return proposeTunablesOr(s, event.proposal);
    }
    case 'proposing_tunables': {
      if (event.type !== 'proposed') throw unexpected();
      return chosen(s, event.proposal, false);
    }
    case 'opening': {
      if (event.type !== 'experiment_opened') throw unexpected();
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
    }
    case 'experimenting': {
      if (event.type !== 'concluded') throw unexpected();
      s.conclusion = event.conclusion;
      // The level and rules in force now, when the decision is made.
      return go(s, 'reading_decision_context', { kind: 'read_context' });
    }
    case 'reading_decision_context': {
      if (event.type !== 'context_read') throw unexpected();
      s.decisionContext = event.context;
      if (s.comparisonOnly) {
        const reason = `comparison only: A (${s.versionA}) was not the current version (${s.started!.currentVersion}), so nothing is promoted. ${s.conclusion!.summary}`;
        return finish(
          s,
          { action: 'reject', outcome: 'not_promoted', reason, decided_by: 'system' },
          event.context.autonomyLevel,
          'completed',
          null,
          { outcome: 'not_promoted', candidateVersion: s.candidate, reason },
          null,
        );
      }
      return go(s, 'counting', { kind: 'count_auto_promotions' });
    }
    case 'counting': {
      if (event.type !== 'auto_promotions_counted') throw unexpected();
      const now = s.decisionContext!;
      const verdict = decidePromotion({
        component: s.input.component,
        conclusion: s.conclusion!,
        level: now.autonomyLevel,
        rules: now.rules,
        isRewrite: s.isRewrite,
        recentAutoPromotions: event.count,
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
    }
    case 'recording_pending': {
      if (event.type !== 'recorded') throw unexpected();
      return go(s, 'awaiting', { kind: 'await_answer', timeoutMs: s.decisionContext!.rules.approval_timeout_minutes * 60_000 });
    }
    case 'awaiting': {
      if (event.type !== 'answered') throw unexpected();
      const level = s.decisionContext!.autonomyLevel;
      if (!event.answer) {
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
      if (!event.answer.approved) {
        const reason = event.answer.reason ?? 'rejected by a person';
        return finish(
          s,
          { action: 'reject', outcome: 'rejected', reason, decided_by: event.answer.by },
          level,
          'rejected',
          s.candidate,
          { outcome: 'rejected', candidateVersion: s.candidate, reason },
          0,
        );
      }
      s.decidedBy = event.answer.by;
      s.verdict = { action: 'promote', reason: event.answer.reason ?? `approved by ${event.answer.by}` };
      return promote(s);
    }
    case 'promoting': {
      if (event.type === 'promotion_refused') return supersede(s, event.current, 'before the promotion');
      if (event.type !== 'promoted') throw unexpected();
      return go(s, 'recording_promotion', {
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
    }
    case 'recording_superseded': {
      if (event.type !== 'recorded') throw unexpected();
      return open(s);
    }
    case 'recording_promotion': {
      if (event.type !== 'recorded') throw unexpected();
      // Decided: a failure while watching leaves the promotion as recorded.
      s.decided = true;
      s.stage = 'watching';
      s.watchEnds = event.now + s.decisionContext!.rules.watch_window_minutes * 60_000;
      return watchOrFinish(s, event.now);
    }
    case 'watching': {
      if (event.type !== 'watched') throw unexpected();
      if (event.check.regressed) {
        s.stage = 'rolling back';
        s.rollbackReason = `automatic rollback in the watch window: ${event.check.reason}`;
        return go(s, 'rolling_back', {
          kind: 'roll_back',
          experimentId: s.experimentId,
          version: s.versionA!,
          promoted: s.candidate!,
          reason: s.rollbackReason,
        });
      }
      return watchOrFinish(s, event.now);
    }
    case 'rolling_back': {
      if (event.type === 'rollback_refused') {
        // Another promotion replaced this one meanwhile; rolling back now would undo that one too.
        const reason = `a regression in the watch window (${s.rollbackReason}), but ${s.candidate} is no longer current (${event.current} is): nothing rolled back`;
        return done(s, { outcome: 'promoted', candidateVersion: s.candidate, rolledBack: false, reason }, 0);
      }
      if (event.type !== 'rolled_back') throw unexpected();
      return done(s, { outcome: 'promoted', candidateVersion: s.candidate, rolledBack: true, reason: s.rollbackReason }, 0);
    }
    case 'done': {
      if (event.type !== 'finished' || !s.finish) throw unexpected();
      s.decided = true;
      s.stage = `done: ${s.finish.result.outcome}`;
      return { state: s, step: s.finish };
    }
  }
}

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
