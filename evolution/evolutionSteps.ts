import type { AutonomyLevel } from '../domain/enums';
import type {
  ApprovalInput, ChangeRules, Conclusion, Decision, EvolveComponentInput, EvolveComponentResult, ExperimentStatus,
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
 * in force now → decide (decidePromotion) → wait for a person if needed → promote → watch the
 * live version and roll it back on a regression.
 */

/** What the workflow reads before deciding: the current version, autonomy level and rules. */
export interface EvolutionContext {
  currentVersion: string;
  autonomyLevel: AutonomyLevel;
  rules: ChangeRules;
  hasSuite: boolean;
  tunableCount: number;
}

export interface ProposalOutcome { version: string | null; detail: string }
export interface RegressionOutcome { regressed: boolean; reason: string }
export type Answer = ApprovalInput & { approved: boolean };

/** A decision to store on the experiment; the workflow stamps its time. */
export interface DecisionRecord {
  decision: Omit<Decision, 'at'>;
  status: ExperimentStatus;
  candidate: string | null;
}

export type EvolutionStep =
  | { kind: 'read_context' }
  | { kind: 'ask_proposer' }
  | { kind: 'propose'; operator: 'model' | 'tunables'; baseVersion: string }
  | { kind: 'open_experiment'; versionA: string; candidate: string | null }
  | { kind: 'run_experiment'; versionA: string; versionB: string }
  | { kind: 'count_auto_promotions' }
  | { kind: 'record'; record: DecisionRecord }
  | { kind: 'await_answer'; timeoutMs: number }
  | { kind: 'promote'; version: string; decidedBy: string }
  | { kind: 'watch'; sleepMs: number; version: string; baselineVersion: string; rules: ChangeRules }
  | { kind: 'roll_back'; version: string; reason: string }
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
  | { type: 'watched'; check: RegressionOutcome; now: number }
  | { type: 'rolled_back' }
  /** The finish step was performed: its record and the prediction's outcome are stored. */
  | { type: 'finished' };

/** Which step's outcome the machine waits for. */
type Phase =
  | 'reading_context' | 'asking_proposer' | 'proposing_rewrite' | 'proposing_tunables' | 'opening' | 'experimenting'
  | 'reading_decision_context' | 'counting' | 'recording_pending' | 'awaiting' | 'rechecking' | 'promoting'
  | 'recording_promotion' | 'watching' | 'rolling_back' | 'done';

export interface EvolutionState {
  input: Pick<EvolveComponentInput, 'component' | 'candidateVersion' | 'baselineVersion'>;
  experimentId: string;
  phase: Phase;
  /** What the run is doing, in words (the workflow's stage query; failures name it). */
  stage: string;
  /** The context read at the start: the current version then. */
  started: EvolutionContext | null;
  /** Version A; null until the context is read. */
  versionA: string | null;
  candidate: string | null;
  /** The experiment record is stored. */
  stored: boolean;
  /** Promoted or finished: a failure from here on leaves the record as it is. */
  decided: boolean;
  /** The model's proposal, kept while the offline operator stands in for it. */
  rewrite: ProposalOutcome | null;
  isRewrite: boolean;
  proposalDetail: string;
  conclusion: Conclusion | null;
  /** The context in force at the decision. */
  decisionContext: EvolutionContext | null;
  verdict: PromotionAnswer | null;
  answer: Answer | null;
  decidedBy: string;
  watchEnds: number;
  rollbackReason: string;
  /** The finish step, once the machine reached it. */
  finish: Extract<EvolutionStep, { kind: 'finish' }> | null;
}

export interface Transition { state: EvolutionState; step: EvolutionStep }

export function startEvolution(input: EvolutionState['input'], experimentId: string): Transition {
  const state: EvolutionState = {
    input, experimentId, phase: 'reading_context', stage: 'starting', started: null, versionA: null, candidate: input.candidateVersion,
    stored: false, decided: false, rewrite: null, isRewrite: false, proposalDetail: 'a version chosen by a person', conclusion: null,
    decisionContext: null, verdict: null, answer: null, decidedBy: 'system', watchEnds: 0, rollbackReason: '', finish: null,
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
      if (s.candidate) return open(s);
      s.stage = 'proposing';
      return go(s, 'asking_proposer', { kind: 'ask_proposer' });
    }
    case 'asking_proposer': {
      if (event.type !== 'proposer_known') throw unexpected();
      if (event.proposer === 'model') return go(s, 'proposing_rewrite', { kind: 'propose', operator: 'model', baseVersion: s.versionA! });
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
        return finish(s, { action: 'reject', outcome: 'not_promoted', reason: `no candidate: ${s.proposalDetail}`, decided_by: 'system' }, s.started!.autonomyLevel, 'completed', null,
          { outcome: 'no_candidate', candidateVersion: null, reason: s.proposalDetail }, 0);
      }
      s.stage = 'experimenting';
      return go(s, 'experimenting', { kind: 'run_experiment', versionA, versionB: s.candidate });
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
      if (s.versionA !== s.started!.currentVersion) {
        const reason = `comparison only: A (${s.versionA}) was not the current version (${s.started!.currentVersion}), so nothing is promoted. ${s.conclusion!.summary}`;
        return finish(s, { action: 'reject', outcome: 'not_promoted', reason, decided_by: 'system' }, event.context.autonomyLevel, 'completed', null,
          { outcome: 'not_promoted', candidateVersion: s.candidate, reason }, null);
      }
      return go(s, 'counting', { kind: 'count_auto_promotions' });
    }
    case 'counting': {
      if (event.type !== 'auto_promotions_counted') throw unexpected();
      const now = s.decisionContext!;
      let verdict = decidePromotion({
        component: s.input.component, conclusion: s.conclusion!, level: now.autonomyLevel, rules: now.rules, isRewrite: s.isRewrite,
        recentAutoPromotions: event.count,
      });
      if (verdict.action !== 'reject' && now.currentVersion !== s.versionA) {
        verdict = { action: 'reject', reason: `the current version changed during the experiment (${s.versionA} → ${now.currentVersion})` };
      }
      s.verdict = verdict;
      if (verdict.action === 'reject') return notPromoted(s, verdict.reason, 'system', s.candidate);
      if (verdict.action === 'promote') return promote(s);
      // Open to a person's answer before the record says so: whoever reads "awaiting approval"
      // and answers at once must find the workflow ready for it (see acceptsAnswer).
      s.stage = 'awaiting approval';
      return go(s, 'recording_pending', {
        kind: 'record',
        record: { decision: { action: 'await_approval', outcome: 'pending', reason: verdict.reason, decided_by: 'system', autonomy_level: now.autonomyLevel }, status: 'awaiting_approval', candidate: null },
      });
    }
    case 'recording_pending': {
      if (event.type !== 'recorded') throw unexpected();
      return go(s, 'awaiting', { kind: 'await_answer', timeoutMs: s.decisionContext!.rules.approval_timeout_minutes * 60_000 });
    }
    case 'awaiting': {
      if (event.type !== 'answered') throw unexpected();
      const level = s.decisionContext!.autonomyLevel;
      s.answer = event.answer;
      if (!event.answer) {
        const reason = `no decision within ${s.decisionContext!.rules.approval_timeout_minutes} minutes`;
        return finish(s, { action: 'reject', outcome: 'expired', reason, decided_by: 'system' }, level, 'expired', s.candidate,
          { outcome: 'expired', candidateVersion: s.candidate, reason }, 0);
      }
      if (!event.answer.approved) {
        const reason = event.answer.reason ?? 'rejected by a person';
        return finish(s, { action: 'reject', outcome: 'rejected', reason, decided_by: event.answer.by }, level, 'rejected', s.candidate,
          { outcome: 'rejected', candidateVersion: s.candidate, reason }, 0);
      }
      return go(s, 'rechecking', { kind: 'read_context' });
    }
    case 'rechecking': {
      if (event.type !== 'context_read') throw unexpected();
      const by = s.answer!.by;
      if (event.context.currentVersion !== s.versionA) {
        const reason = `approved, but the current version changed meanwhile (${s.versionA} → ${event.context.currentVersion}); not promoted`;
        return notPromoted(s, reason, by, s.candidate);
      }
      s.decidedBy = by;
      s.verdict = { action: 'promote', reason: s.answer!.reason ?? `approved by ${by}` };
      return promote(s);
    }
    case 'promoting': {
      if (event.type !== 'promoted') throw unexpected();
      return go(s, 'recording_promotion', {
        kind: 'record',
        record: {
          decision: { action: 'promote', outcome: 'promoted', reason: s.verdict!.reason, decided_by: s.decidedBy, autonomy_level: s.decisionContext!.autonomyLevel },
          status: 'approved', candidate: s.candidate,
        },
      });
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
        return go(s, 'rolling_back', { kind: 'roll_back', version: s.versionA!, reason: s.rollbackReason });
      }
      return watchOrFinish(s, event.now);
    }
    case 'rolling_back': {
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
 * Whether a person's answer is accepted now; the reason it is refused otherwise. Accepted from
 * the moment the machine decides to wait for a person (before the record says so) until it has
 * an answer or the wait expires.
 */
export function refusedAnswer(state: EvolutionState, given: Answer | null): string | null {
  if (given) return `experiment ${state.experimentId} was already ${given.approved ? 'approved' : 'rejected'} by ${given.by}`;
  if (state.phase !== 'recording_pending' && state.phase !== 'awaiting') return `experiment ${state.experimentId} is not awaiting approval (it is ${state.stage})`;
  return null;
}

/**
 * After a step failed: the experiment to store first (when its record does not exist yet) and
 * the reason to record it failed with; null when there is nothing to record (the context was
 * never read, or the run was already decided).
 */
export function failureRecord(state: EvolutionState, cause: string): { open: { versionA: string; candidate: string | null } | null; reason: string; candidate: string | null } | null {
  if (!state.versionA || state.decided) return null;
  return {
    open: state.stored ? null : { versionA: state.versionA, candidate: state.candidate },
    reason: `the experiment failed while ${state.stage}: ${cause}`,
    candidate: state.candidate,
  };
}

function go(s: EvolutionState, phase: Phase, step: EvolutionStep): Transition {
  return { state: { ...s, phase }, step };
}

function open(s: EvolutionState): Transition {
  return go(s, 'opening', { kind: 'open_experiment', versionA: s.versionA!, candidate: s.candidate });
}

/** The offline operator proposes when the component has tunables; else there is no proposal. */
function proposeTunablesOr(s: EvolutionState, rewrite: ProposalOutcome | null): Transition {
  if (s.started!.tunableCount > 0) return go(s, 'proposing_tunables', { kind: 'propose', operator: 'tunables', baseVersion: s.versionA! });
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
  return go(s, 'promoting', { kind: 'promote', version: s.candidate!, decidedBy: s.decidedBy });
}

function notPromoted(s: EvolutionState, reason: string, decidedBy: string, candidate: string | null): Transition {
  return finish(s, { action: 'reject', outcome: 'not_promoted', reason, decided_by: decidedBy }, s.decisionContext!.autonomyLevel, 'completed', candidate,
    { outcome: 'not_promoted', candidateVersion: s.candidate, reason }, 0);
}

function watchOrFinish(s: EvolutionState, now: number): Transition {
  const rules = s.decisionContext!.rules;
  if (now < s.watchEnds) {
    return go(s, 'watching', {
      kind: 'watch', sleepMs: Math.min(rules.watch_check_interval_minutes * 60_000, Math.max(1, s.watchEnds - now)),
      version: s.candidate!, baselineVersion: s.versionA!, rules,
    });
  }
  return done(s, { outcome: 'promoted', candidateVersion: s.candidate, rolledBack: false, reason: s.verdict!.reason }, s.conclusion!.effect);
}

function finish(
  s: EvolutionState, decision: Omit<Decision, 'at' | 'autonomy_level'>, level: AutonomyLevel, status: ExperimentStatus, candidate: string | null,
  result: Omit<EvolveComponentResult, 'experimentId' | 'rolledBack'>, improvement: number | null,
): Transition {
  const record = { decision: { ...decision, autonomy_level: level }, status, candidate };
  return done(s, { ...result, rolledBack: false }, improvement, record);
}

/** Every exit: the decision to record (if not recorded yet), the result, the prediction's actual improvement. */
function done(s: EvolutionState, result: Omit<EvolveComponentResult, 'experimentId'>, improvement: number | null, record: DecisionRecord | null = null): Transition {
  s.finish = { kind: 'finish', record, result: { experimentId: s.experimentId, ...result }, improvement };
  return go(s, 'done', s.finish);
}
