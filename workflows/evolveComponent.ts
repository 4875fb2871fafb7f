import { CancellationScope, condition, executeChild, isCancellation, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AutonomyLevel } from '../domain/enums';
import {
  abExperimentWorkflowId, ApprovalInput, Decision, EvolveComponentInput, EvolveComponentResult, experimentIdFor, ExperimentStatus,
} from '../domain/evolution';
import { decidePromotion } from '../evolution/decidePromotion';
import { abExperiment } from './abExperiment';
import { approveExperimentUpdate, evolutionStageQuery, rejectExperimentUpdate } from './evolutionMessages';
import { failureText } from './failureText';

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumAttempts: 5 },
});
/** Proposing scores many mutants (or waits on a model): long, heartbeating, few retries. */
const proposing = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One evolution of one component: propose a candidate (a model rewrite that compiles, or the
 * offline operator's seeded tunable mutation), A/B it against the current version, decide by
 * autonomy level and change rules (here, not in the UI), promote or wait for a person (until
 * the approval timeout), then watch the promoted version and roll it back on a regression.
 * Given a baseline that is not the current version, it compares the two and promotes nothing.
 * A failure is recorded on the experiment (status failed, with the cause) before it is raised.
 */
export async function evolveComponent(input: EvolveComponentInput): Promise<EvolveComponentResult> {
  const experimentId = experimentIdFor(input.evolutionId);
  let stage = 'starting';
  let awaiting = false;
  let answer: (ApprovalInput & { approved: boolean }) | null = null;
  /** The last decision recorded that is not "pending": what a person's update returns. */
  let finalDecision: Decision | null = null;
  const acceptAnswer = (approved: boolean) => async (given: ApprovalInput): Promise<Decision> => {
    answer = { ...given, approved };
    await condition(() => finalDecision !== null);
    return finalDecision as Decision;
  };
  const onlyWhileAwaiting = (_given: ApprovalInput) => {
    const given = answer as (ApprovalInput & { approved: boolean }) | null;
    if (given) throw new Error(`experiment ${experimentId} was already ${given.approved ? 'approved' : 'rejected'} by ${given.by}`);
    if (!awaiting) throw new Error(`experiment ${experimentId} is not awaiting approval (it is ${stage})`);
  };
  setHandler(approveExperimentUpdate, acceptAnswer(true), { validator: onlyWhileAwaiting });
  setHandler(rejectExperimentUpdate, acceptAnswer(false), { validator: onlyWhileAwaiting });
  setHandler(evolutionStageQuery, () => stage);

  const decision = (d: Omit<Decision, 'at' | 'autonomy_level'>, level: AutonomyLevel): Decision => ({ ...d, autonomy_level: level, at: new Date().toISOString() });
  const record = async (d: Decision, status: ExperimentStatus, candidate: string | null) => {
    await steps.recordDecision({ experimentId, component: input.component, decision: d, status, candidateVersion: candidate });
    if (d.outcome !== 'pending') finalDecision = d;
  };
  const finish = async (result: EvolveComponentResult, improvement: number | null) => {
    if (input.predictionId) await steps.recordPredictionOutcome({ predictionId: input.predictionId, experimentId, actualImprovement: improvement });
    stage = `done: ${result.outcome}`;
    return result;
  };

  /** The undecided experiment so far, and whether its record is stored (set inside `evolve`; null once decided). */
  let known = null as { versionA: string; candidate: string | null; stored: boolean } | null;
  try {
    return await evolve();
  } catch (err) {
    if (isCancellation(err) || !known) throw err;
    const failed = known;
    await CancellationScope.nonCancellable(async () => {
      const reason = `the experiment failed while ${stage}: ${failureText(err)}`;
      if (!failed.stored) await openExperimentRecord(failed.versionA, failed.candidate);
      const { autonomyLevel } = await steps.readEvolutionContext(input.component);
      await record(decision({ action: 'reject', outcome: 'not_promoted', reason, decided_by: 'system' }, autonomyLevel), 'failed', failed.candidate);
      if (input.predictionId) await steps.recordPredictionOutcome({ predictionId: input.predictionId, experimentId, actualImprovement: null });
    });
    throw err;
  }

  function openExperimentRecord(versionA: string, candidate: string | null) {
    return steps.openExperiment({
      experimentId, component: input.component, versionA, versionB: candidate ?? versionA, goal: input.goal,
      repetitions: input.repetitions, workflowId: workflowInfo().workflowId, predictionId: input.predictionId,
    });
  }

  async function evolve(): Promise<EvolveComponentResult> {
    const context = await steps.readEvolutionContext(input.component);
    const versionA = input.baselineVersion ?? context.currentVersion;
    const comparisonOnly = versionA !== context.currentVersion;
    known = { versionA, candidate: input.candidateVersion, stored: false };
    let candidate = input.candidateVersion;
    let isRewrite = false;
    let proposalDetail = 'a version chosen by a person';
    if (!candidate) {
      stage = 'proposing';
      const proposeInput = { evolutionId: input.evolutionId, component: input.component, baseVersion: versionA, seed: input.seed, goal: input.goal };
      const rewrite = (await steps.describeProposer()) === 'model' ? await proposing.proposeModelRewrite(proposeInput) : null;
      const proposal = !rewrite?.version && context.tunableCount > 0 ? await proposing.proposeTunableCandidate(proposeInput) : rewrite;
      candidate = proposal?.version ?? null;
      isRewrite = proposal === rewrite && Boolean(rewrite?.version);
      // When the offline operator stood in for a refused rewrite, say why the rewrite was refused.
      const refused = rewrite && proposal !== rewrite ? `; the model's rewrite was refused: ${rewrite.detail}` : '';
      proposalDetail = `${proposal?.detail ?? 'nothing to propose'}${refused}`;
    }
    await openExperimentRecord(versionA, candidate);
    known = { versionA, candidate, stored: true };
    if (!candidate || candidate === versionA) {
      await record(decision({ action: 'reject', outcome: 'not_promoted', reason: `no candidate: ${proposalDetail}`, decided_by: 'system' }, context.autonomyLevel), 'completed', null);
      return finish({ experimentId, outcome: 'no_candidate', candidateVersion: null, rolledBack: false, reason: proposalDetail }, 0);
    }

    stage = 'experimenting';
    const conclusion = await executeChild(abExperiment, {
      workflowId: abExperimentWorkflowId(experimentId),
      args: [{ experimentId, component: input.component, versionA, versionB: candidate, repetitions: input.repetitions, seed: input.seed }],
    });

    // The level and rules in force now, when the decision is made.
    const now = await steps.readEvolutionContext(input.component);
    const level = now.autonomyLevel;
    if (comparisonOnly) {
      const reason = `comparison only: A (${versionA}) was not the current version (${context.currentVersion}), so nothing is promoted. ${conclusion.summary}`;
      await record(decision({ action: 'reject', outcome: 'not_promoted', reason, decided_by: 'system' }, level), 'completed', null);
      return finish({ experimentId, outcome: 'not_promoted', candidateVersion: candidate, rolledBack: false, reason }, null);
    }
    const rules = now.rules;
    let verdict = decidePromotion({
      component: input.component, conclusion, level, rules, isRewrite, recentAutoPromotions: await steps.countRecentAutoPromotions(),
    });
    if (verdict.action !== 'reject' && now.currentVersion !== versionA) {
      verdict = { action: 'reject', reason: `the current version changed during the experiment (${versionA} → ${now.currentVersion})` };
    }
    if (verdict.action === 'reject') {
      await record(decision({ action: 'reject', outcome: 'not_promoted', reason: verdict.reason, decided_by: 'system' }, level), 'completed', candidate);
      return finish({ experimentId, outcome: 'not_promoted', candidateVersion: candidate, rolledBack: false, reason: verdict.reason }, 0);
    }

    let decidedBy = 'system';
    if (verdict.action === 'await_approval') {
      stage = 'awaiting approval';
      // Open to a person's answer before the record says so: whoever reads "awaiting approval"
      // and answers at once must find the workflow ready for it.
      awaiting = true;
      await record(decision({ action: 'await_approval', outcome: 'pending', reason: verdict.reason, decided_by: 'system' }, level), 'awaiting_approval', null);
      const answered = await condition(() => answer !== null, rules.approval_timeout_minutes * 60_000);
      awaiting = false;
      if (!answered || !answer) {
        const reason = `no decision within ${rules.approval_timeout_minutes} minutes`;
        await record(decision({ action: 'reject', outcome: 'expired', reason, decided_by: 'system' }, level), 'expired', candidate);
        return finish({ experimentId, outcome: 'expired', candidateVersion: candidate, rolledBack: false, reason }, 0);
      }
      const given = answer as ApprovalInput & { approved: boolean };
      if (!given.approved) {
        const reason = given.reason ?? 'rejected by a person';
        await record(decision({ action: 'reject', outcome: 'rejected', reason, decided_by: given.by }, level), 'rejected', candidate);
        return finish({ experimentId, outcome: 'rejected', candidateVersion: candidate, rolledBack: false, reason }, 0);
      }
      const latest = await steps.readEvolutionContext(input.component);
      if (latest.currentVersion !== versionA) {
        const reason = `approved, but the current version changed meanwhile (${versionA} → ${latest.currentVersion}); not promoted`;
        await record(decision({ action: 'reject', outcome: 'not_promoted', reason, decided_by: given.by }, level), 'completed', candidate);
        return finish({ experimentId, outcome: 'not_promoted', candidateVersion: candidate, rolledBack: false, reason }, 0);
      }
      decidedBy = given.by;
      verdict = { action: 'promote', reason: given.reason ?? `approved by ${given.by}` };
    }

    stage = 'promoting';
    await steps.promoteVersion({ experimentId, component: input.component, version: candidate, decidedBy, key: `change:${workflowInfo().workflowId}:promote` });
    await record(decision({ action: 'promote', outcome: 'promoted', reason: verdict.reason, decided_by: decidedBy }, level), 'approved', candidate);
    known = null; // decided: a failure from here on (while watching) leaves the promotion as recorded

    // The watch window: live error rate and latency against the parent's; a regression rolls back.
    stage = 'watching';
    const watchEnds = Date.now() + rules.watch_window_minutes * 60_000;
    while (Date.now() < watchEnds) {
      await sleep(Math.min(rules.watch_check_interval_minutes * 60_000, Math.max(1, watchEnds - Date.now())));
      const check = await steps.measureLiveRegression({ component: input.component, version: candidate, baselineVersion: versionA, rules });
      if (check.regressed) {
        stage = 'rolling back';
        const reason = `automatic rollback in the watch window: ${check.reason}`;
        await steps.rollbackVersion({
          component: input.component, version: versionA, reason, by: { kind: 'rollback', detail: 'watch window' },
          experimentId, key: `change:${workflowInfo().workflowId}:rollback`,
        });
        return finish({ experimentId, outcome: 'promoted', candidateVersion: candidate, rolledBack: true, reason }, 0);
      }
    }
    return finish({ experimentId, outcome: 'promoted', candidateVersion: candidate, rolledBack: false, reason: verdict.reason }, conclusion.effect);
  }
}
