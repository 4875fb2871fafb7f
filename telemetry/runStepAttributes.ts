import type { Conclusion, CurrentVersionChangeResult, Decision, SuiteSummary } from '../domain/evolution';
import type { DraftOutcome, GeneratedDecisionInput, Proposal, SuiteTestResult } from '../domain/evolutionContracts';
import type { StepAttributes } from '../store/runStepStore';

/**
 * What the steps of an evolution or a generation say on their spans (evoscope.*): the
 * candidate found, a suite run's outcome and case counts, the experiment's verdict with its
 * effect and p-value, the decision and the change of the current version.
 */

/** Unset values are left out: an attribute is a string, a number or a boolean. */
const defined = (attributes: Record<string, string | number | boolean | null | undefined>): StepAttributes =>
  Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null && v !== undefined)) as StepAttributes;

export const proposalAttributes = (p: Proposal): StepAttributes =>
  defined({
    'evoscope.proposal.kind': p.kind,
    'evoscope.proposal.found': p.version !== null,
    'evoscope.proposal.version': p.version,
    'evoscope.proposal.detail': p.detail,
    'evoscope.proposal.base_train_score': p.base_train_score,
    'evoscope.proposal.candidate_train_score': p.candidate_train_score,
  });

/** `errors` when a case could not run (timeout, memory, a throw), else whether every case passed. */
const suiteOutcome = (s: Pick<SuiteSummary, 'cases' | 'passed' | 'errors'>) =>
  s.errors > 0 ? 'errors' : s.passed === s.cases ? 'passed' : 'failed';

export const suiteRunAttributes = (version: string, s: SuiteSummary): StepAttributes => ({
  'evoscope.component.version': version,
  'evoscope.suite.name': s.suite,
  'evoscope.suite.outcome': suiteOutcome(s),
  'evoscope.suite.cases': s.cases,
  'evoscope.suite.passed': s.passed,
  'evoscope.suite.failed': s.cases - s.passed,
  'evoscope.suite.errors': s.errors,
  'evoscope.suite.pass_rate': s.pass_rate,
  'evoscope.suite.mean_score': s.mean_score,
});

export const conclusionAttributes = (c: Conclusion): StepAttributes =>
  defined({
    'evoscope.experiment.verdict': c.verdict,
    'evoscope.experiment.winner': c.winner,
    'evoscope.experiment.effect': c.effect,
    'evoscope.experiment.p_value': c.p_value,
    'evoscope.experiment.ci_low': c.ci_low,
    'evoscope.experiment.ci_high': c.ci_high,
    'evoscope.experiment.heldout_cases': c.n,
  });

export const decisionAttributes = (d: Pick<Decision, 'action' | 'outcome' | 'reason' | 'decided_by' | 'autonomy_level'>) => ({
  'evoscope.decision.action': d.action,
  'evoscope.decision.outcome': d.outcome,
  'evoscope.decision.reason': d.reason,
  'evoscope.decision.decided_by': d.decided_by,
  'evoscope.autonomy_level': d.autonomy_level,
});

export const versionChangeAttributes = (kind: string, done: CurrentVersionChangeResult): StepAttributes => ({
  'evoscope.change.kind': kind,
  'evoscope.change.changed': done.changed,
  ...(done.changed ? { 'evoscope.change.to_version': done.to } : { 'evoscope.change.current_version': done.current }),
});

export const draftAttributes = (d: DraftOutcome): StepAttributes =>
  defined({ 'evoscope.draft.drafted': d.drafted, 'evoscope.draft.name': d.name, 'evoscope.draft.refusal': d.refusal });

export const suiteTestAttributes = (t: SuiteTestResult): StepAttributes => ({
  'evoscope.suite.outcome': suiteOutcome({ cases: t.total, passed: t.passed, errors: 0 }),
  'evoscope.suite.cases': t.total,
  'evoscope.suite.passed': t.passed,
  'evoscope.suite.failed': t.total - t.passed,
});

export const generatedDecisionAttributes = (d: GeneratedDecisionInput): StepAttributes => ({
  'evoscope.decision.outcome': d.outcome,
  'evoscope.decision.reason': d.reason,
  'evoscope.decision.decided_by': d.decidedBy,
});
