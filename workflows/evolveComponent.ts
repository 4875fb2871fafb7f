import {
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ApprovalInput, Decision, EvolveComponentInput, EvolveComponentResult } from '../domain/evolution';
import { abExperimentWorkflowId, experimentIdFor } from '../domain/evolutionWorkflowNames';
import {
  advance,
  type Answer,
  type DecisionRecord,
  type EvolutionEvent,
  type EvolutionState,
  type EvolutionStep,
  failureRecord,
  refusedAnswer,
  startEvolution,
} from '../evolution/evolutionSteps';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { thenExportTrace } from './thenExportTrace';
import { abExperiment } from './abExperiment';
import { changeCurrentVersionInTurn } from './changeCurrentVersion';
import { approveExperimentUpdate, evolutionStageQuery, rejectExperimentUpdate } from './evolutionMessages';
import { failureText } from './failureText';

const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.evolutionStep);
const proposing = proxyActivities<Activities>(ACTIVITY_PROFILES.proposing);
const drafting = proxyActivities<Activities>(ACTIVITY_PROFILES.drafting);

/** Marks evolutions that settle their prediction however they end (failed, cancelled, or while watching), with the reason. */
const RECORDS_EVERY_END = 'evolution-records-every-end';
/** Marks evolutions that call the offline operator proposeOfflineCandidate (before: proposeTunableCandidate, the same activity). */
const OFFLINE_CANDIDATE_ACTIVITY = 'offline-candidate-activity';
/** Marks evolutions that send their trace when they end, however they end. */
const EXPORTS_TRACE = 'evolution-exports-trace';

/**
 * One evolution of one component: propose a candidate (a model rewrite that compiles, or the
 * offline operator's seeded tunable mutation), A/B it against the current version, decide by
 * autonomy level and change rules (here, not in the UI), promote or wait for a person (until
 * the approval timeout), then watch the promoted version and roll it back on a regression.
 * Given a baseline that is not the current version, it compares the two and promotes nothing.
 * A failure is recorded on the experiment (status failed, with the cause) before it is raised.
 *
 * Every decision is made by the pure state machine in evolution/evolutionSteps.ts; this loop
 * only performs its steps and feeds their outcomes back. Its last step sends its trace (nothing
 * when tracing is off).
 */
export async function evolveComponent(input: EvolveComponentInput): Promise<EvolveComponentResult> {
  return thenExportTrace(EXPORTS_TRACE, input.evolutionId, steps.exportEvolutionTrace, () => evolve(input));
}

async function evolve(input: EvolveComponentInput): Promise<EvolveComponentResult> {
  /** The prediction's run is claimed under the evolution's first experiment; a re-test round has an id of its own. */
  const predictionRun = experimentIdFor(input.evolutionId);
  let transition = startEvolution(input);
  let state: EvolutionState = transition.state;
  /** A person's answer, for the round (experiment) it was given in. */
  let answer: (Answer & { experimentId: string }) | null = null;
  const answerNow = () => (answer?.experimentId === state.experimentId ? answer : null);
  /** The decisions recorded that are not "pending", by experiment: what a person's update returns. */
  const finalDecisions = new Map<string, Decision>();

  const acceptAnswer =
    (approved: boolean) =>
    async (given: ApprovalInput): Promise<Decision> => {
      const experimentId = state.experimentId;
      answer = { ...given, approved, experimentId };
      await condition(() => finalDecisions.has(experimentId));
      return finalDecisions.get(experimentId)!;
    };
  const onlyWhileAwaiting = (_given: ApprovalInput) => {
    const refused = refusedAnswer(state, answerNow());
    if (refused) throw new Error(refused);
  };
  setHandler(approveExperimentUpdate, acceptAnswer(true), { validator: onlyWhileAwaiting });
  setHandler(rejectExperimentUpdate, acceptAnswer(false), { validator: onlyWhileAwaiting });
  setHandler(evolutionStageQuery, () => state.stage);

  const record = async ({ experimentId, decision, status, candidate }: DecisionRecord) => {
    const stamped: Decision = { ...decision, at: new Date().toISOString() };
    await steps.recordDecision({
      experimentId,
      component: input.component,
      decision: stamped,
      status,
      candidateVersion: candidate,
    });
    if (stamped.outcome !== 'pending') finalDecisions.set(experimentId, stamped);
  };
  const openExperimentRecord = (step: Extract<EvolutionStep, { kind: 'open_experiment' }>) =>
    steps.openExperiment({
      experimentId: step.experimentId,
      component: input.component,
      versionA: step.versionA,
      versionB: step.candidate ?? step.versionA,
      goal: input.goal,
      repetitions: input.repetitions,
      workflowId: workflowInfo().workflowId,
      predictionId: input.predictionId,
    });

  /** Performs one step (the only I/O of the workflow) and says what came of it. */
  async function perform(step: Exclude<EvolutionStep, { kind: 'finish' }>): Promise<EvolutionEvent> {
    switch (step.kind) {
      case 'read_context':
        return { type: 'context_read', context: await steps.readEvolutionContext(input.component) };
      case 'ask_proposer':
        return { type: 'proposer_known', proposer: await steps.describeProposer() };
      case 'propose': {
        const proposeInput = {
          evolutionId: input.evolutionId,
          component: input.component,
          baseVersion: step.baseVersion,
          seed: input.seed,
          goal: input.goal,
        };
        const proposal =
          step.operator === 'model'
            ? await drafting.proposeModelRewrite(proposeInput)
            : patched(OFFLINE_CANDIDATE_ACTIVITY)
              ? await proposing.proposeOfflineCandidate(proposeInput)
              : await proposing.proposeTunableCandidate(proposeInput);
        return { type: 'proposed', proposal };
      }
      case 'open_experiment':
        await openExperimentRecord(step);
        return { type: 'experiment_opened' };
      case 'run_experiment': {
        const conclusion = await executeChild(abExperiment, {
          workflowId: abExperimentWorkflowId(step.experimentId),
          args: [
            {
              experimentId: step.experimentId,
              component: input.component,
              versionA: step.versionA,
              versionB: step.versionB,
              repetitions: input.repetitions,
              seed: input.seed,
            },
          ],
        });
        return { type: 'concluded', conclusion };
      }
      case 'count_auto_promotions':
        return { type: 'auto_promotions_counted', count: await steps.countRecentAutoPromotions() };
      case 'record':
        await record(step.record);
        return { type: 'recorded', now: Date.now() };
      case 'await_answer': {
        const answered = await condition(() => answerNow() !== null, step.timeoutMs);
        return { type: 'answered', answer: answered ? answerNow() : null };
      }
      case 'promote': {
        const done = await changeCurrentVersionInTurn({
          component: input.component,
          version: step.version,
          kind: 'promote',
          expectedCurrent: step.base,
          by: step.decidedBy === 'system' ? { kind: 'experiment', detail: 'system' } : { kind: 'person', detail: step.decidedBy },
          reason: `won experiment ${step.experimentId}`,
          experimentId: step.experimentId,
          key: `change:${workflowInfo().workflowId}:promote:${step.round}`,
        });
        return done.changed ? { type: 'promoted' } : { type: 'promotion_refused', current: done.current };
      }
      case 'watch': {
        await sleep(step.sleepMs);
        const check = await steps.measureLiveRegression({
          component: input.component,
          version: step.version,
          baselineVersion: step.baselineVersion,
          rules: step.rules,
        });
        return { type: 'watched', check, now: Date.now() };
      }
      case 'roll_back': {
        const done = await changeCurrentVersionInTurn({
          component: input.component,
          version: step.version,
          kind: 'rollback',
          expectedCurrent: step.promoted,
          reason: step.reason,
          by: { kind: 'rollback', detail: 'watch window' },
          experimentId: step.experimentId,
          key: `change:${workflowInfo().workflowId}:rollback`,
        });
        return done.changed ? { type: 'rolled_back' } : { type: 'rollback_refused', current: done.current };
      }
    }
  }

  try {
    for (;;) {
      state = transition.state;
      const step = transition.step;
      if (step.kind === 'finish') {
        if (step.record) await record(step.record);
        if (input.predictionId)
          await steps.recordPredictionOutcome({
            predictionId: input.predictionId,
            experimentId: predictionRun,
            actualImprovement: step.improvement,
          });
        state = advance(state, { type: 'finished' }).state;
        return step.result;
      }
      transition = advance(state, await perform(step));
    }
  } catch (err) {
    const cause = failureText(err);
    const failed = failureRecord(state, cause);
    // Before this patch a cancelled evolution, or one that failed before its experiment or after
    // its decision (while watching), left its prediction executing for ever.
    const recordsEveryEnd = patched(RECORDS_EVERY_END);
    if (!recordsEveryEnd && (isCancellation(err) || !failed)) throw err;
    await CancellationScope.nonCancellable(async () => {
      if (failed) {
        if (failed.open) await openExperimentRecord(failed.open);
        const { autonomyLevel } = await steps.readEvolutionContext(input.component);
        await record({
          experimentId: failed.experimentId,
          status: 'failed',
          candidate: failed.candidate,
          decision: {
            action: 'reject',
            outcome: 'not_promoted',
            reason: failed.reason,
            decided_by: 'system',
            autonomy_level: autonomyLevel,
          },
        });
      }
      if (input.predictionId)
        await steps.recordPredictionOutcome({
          predictionId: input.predictionId,
          experimentId: predictionRun,
          actualImprovement: null,
          ...(recordsEveryEnd && { failure: failed?.reason ?? `the evolution ended while ${state.stage}: ${cause}` }),
        });
    });
    throw err;
  }
}
