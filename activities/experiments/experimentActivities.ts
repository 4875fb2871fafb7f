import { OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import { ApplicationFailure } from '@temporalio/activity';
import type { AutonomyLevel } from '../../domain/enums';
import type { Conclusion, SuiteRun } from '../../domain/evolution';
import type { ExperimentDecisionInput, JudgeInput, OpenExperimentInput, SuiteArmInput } from '../../domain/evolutionContracts';
import { loadComponentSuite } from '../../evaluation/componentSuite';
import type { EvolutionContext } from '../../evolution/evolutionSteps';
import { concludeExperiment } from '../../evolution/concludeExperiment';
import { rejectsCandidate } from '../../evolution/candidateRejection';
import { emitMetaEvent } from '../../store/emit';
import {
  countAutoPromotionsSince,
  getComponent,
  getExperiment,
  insertExperimentOnce,
  recordSuiteRun,
  rejectCandidate,
  updateExperiment,
} from '../../store/evolutionStore';
import { readAutonomyLevel, readChangeRules } from '../../store/settingsStore';
import type { ActivityDeps } from '../deps';
import { requireVersion } from '../requireVersion';
import { runSuiteCases } from '../suiteRunner';
import { experimentKey, stepOfExperiment } from '../runStepSpecs';
import { traceStep } from '../../telemetry/runStepTrace';
import { conclusionAttributes, decisionAttributes, suiteRunAttributes } from '../../telemetry/runStepAttributes';

export function createExperimentActivities(deps: ActivityDeps) {
  const { db, env } = deps;

  async function requireSuite(component: string) {
    const suite = await loadComponentSuite(db, env.EVOSCOPE_SUITES_DIR, component);
    if (!suite)
      throw ApplicationFailure.create({
        message: `no test suite for ${component} in ${env.EVOSCOPE_SUITES_DIR}`,
        type: 'NoSuite',
        nonRetryable: true,
      });
    return suite;
  }

  return {
    readAutonomyLevel: (): Promise<AutonomyLevel> => readAutonomyLevel(db),

    /** What the evolve workflow decides with: the current version, autonomy level, rules, and whether a model can rewrite code. */
    async readEvolutionContext(component: string): Promise<EvolutionContext> {
      const doc = await getComponent(db, component);
      if (!doc)
        throw ApplicationFailure.create({
          message: `no component named ${component}`,
          type: 'UnknownComponent',
          nonRetryable: true,
        });
      const current = await requireVersion(db, component, doc.current_version);
      return {
        currentVersion: doc.current_version,
        autonomyLevel: await readAutonomyLevel(db),
        rules: await readChangeRules(db),
        hasSuite: (await loadComponentSuite(db, env.EVOSCOPE_SUITES_DIR, component)) !== null,
        tunableCount: Object.keys(current.manifest.tunables ?? {}).length,
      };
    },

    /** Idempotent: the experiment's id is its key. */
    async openExperiment(input: OpenExperimentInput): Promise<void> {
      const suite = await requireSuite(input.component);
      const now = new Date().toISOString();
      const inserted = await insertExperimentOnce(db, {
        _id: input.experimentId,
        id: input.experimentId,
        component: input.component,
        version_a: input.versionA,
        version_b: input.versionB,
        goal: input.goal,
        test_suite: { name: suite.name, hash: suite.hash },
        repetitions: input.repetitions,
        status: 'running',
        results_a: null,
        results_b: null,
        conclusion: null,
        decision: null,
        rolled_back: null,
        workflow_id: input.workflowId,
        prediction_id: input.predictionId,
        created_at: now,
        updated_at: now,
      });
      if (!inserted) await updateExperiment(db, input.experimentId, { version_b: input.versionB, status: 'running' });
      await emitMetaEvent(db, `${input.experimentId}:started`, {
        type: 'experiment_started',
        experiment_id: input.experimentId,
        component: input.component,
        version_a: input.versionA,
        version_b: input.versionB,
        goal: input.goal,
      });
    },

    /** Runs one arm of an experiment over the whole suite (train and held-out), with repetitions. */
    runSandboxedSuite: (input: SuiteArmInput): Promise<SuiteRun['summary']> =>
      traceStep(
        deps,
        () =>
          stepOfExperiment(db, input.experimentId, {
            key: `${experimentKey(input.experimentId)}/suite:${input.arm}`,
            parentKey: experimentKey(input.experimentId),
            name: `suite run ${input.arm.toUpperCase()}: ${input.component}@${input.version}`,
            kind: OpenInferenceSpanKind.EVALUATOR,
          }),
        () => runArm(input),
        (summary) => suiteRunAttributes(input.version, summary),
      ),

    /** The verdict (evolution/concludeExperiment.ts) of both arms' stored runs, under the must-pass rules in force now; the experiment's step, from its opening. */
    judgeExperiment: (input: JudgeInput): Promise<Conclusion> =>
      traceStep(
        deps,
        async () => {
          const experiment = await getExperiment(db, input.experimentId);
          return (
            experiment && {
              runId: experiment.workflow_id,
              key: experimentKey(input.experimentId),
              name: `experiment: ${experiment.component} ${experiment.version_a} vs ${experiment.version_b}`,
              kind: OpenInferenceSpanKind.EVALUATOR,
              since: experiment.created_at,
            }
          );
        },
        () => judge(input),
        conclusionAttributes,
      ),

    recordDecision: (input: ExperimentDecisionInput): Promise<void> =>
      traceStep(
        deps,
        () =>
          stepOfExperiment(db, input.experimentId, {
            key: `decision:${input.experimentId}:${input.decision.outcome}`,
            name: `decision: ${input.decision.action} (${input.decision.outcome})`,
            kind: OpenInferenceSpanKind.CHAIN,
          }),
        () => recordDecision(input),
        () => decisionAttributes(input.decision),
      ),

    /** Automatic promotions (decided by the system) in the last hour, across components. */
    async countRecentAutoPromotions(): Promise<number> {
      const since = new Date(Date.now() - 3600_000).toISOString();
      return countAutoPromotionsSince(db, since);
    },
  };

  async function runArm(input: SuiteArmInput): Promise<SuiteRun['summary']> {
    const suite = await requireSuite(input.component);
    const version = await requireVersion(db, input.component, input.version);
    const run = await runSuiteCases({
      code: version.code,
      component: input.component,
      version: input.version,
      suite,
      cases: suite.cases,
      repetitions: input.repetitions,
      corpus: deps.corpus,
      onCase: async (r, index, total) => {
        await emitMetaEvent(db, `${input.experimentId}:${input.arm}:${r.case_id}:test`, {
          type: 'test_completed',
          experiment_id: input.experimentId,
          component: input.component,
          version: input.version,
          arm: input.arm,
          case_id: r.case_id,
          holdout: r.holdout,
          passed: r.passed,
          mean_score: r.mean_score,
          latency_ms: r.latencies_ms.reduce((a, b) => a + b, 0) / r.latencies_ms.length,
          failure: r.failure,
        });
        if ((index + 1) % 5 === 0 || index + 1 === total) {
          const base = input.arm === 'a' ? 0 : 0.5;
          await emitMetaEvent(db, `${input.experimentId}:${input.arm}:progress:${index + 1}`, {
            type: 'learning_progress',
            experiment_id: input.experimentId,
            component: input.component,
            stage: `testing version ${input.arm.toUpperCase()}`,
            progress: Math.min(1, base + ((index + 1) / total) * 0.5),
            message: `${index + 1}/${total} cases of ${input.version}`,
          });
        }
      },
    });
    // Both arms finish at about the same moment: each stores its run as a record of its own (an
    // update of the experiment would be a racing read-modify-write); judgeExperiment joins them.
    await recordSuiteRun(db, {
      _id: `${input.experimentId}:${input.arm}`,
      component: input.component,
      version: input.version,
      summary: run.summary,
      run,
      at: new Date().toISOString(),
    });
    return run.summary;
  }

  async function judge(input: JudgeInput): Promise<Conclusion> {
    const experiment = await getExperiment(db, input.experimentId);
    if (!experiment?.results_a || !experiment.results_b) {
      throw ApplicationFailure.create({
        message: `experiment ${input.experimentId} has no results to judge`,
        type: 'NoResults',
        nonRetryable: true,
      });
    }
    const rules = await readChangeRules(db);
    const a = experiment.results_a;
    const b = experiment.results_b;
    const conclusion = concludeExperiment({
      component: experiment.component,
      versionA: experiment.version_a,
      versionB: experiment.version_b,
      a,
      b,
      mustPassRules: rules.must_pass_cases,
      seed: input.seed,
    });
    // The status stays `running` until the decision is recorded: judged is not yet decided.
    await updateExperiment(db, input.experimentId, { results_a: a, results_b: b, conclusion });
    await emitMetaEvent(db, `${input.experimentId}:iteration`, {
      type: 'learning_iteration',
      experiment_id: input.experimentId,
      component: experiment.component,
      version_a: experiment.version_a,
      version_b: experiment.version_b,
      verdict: conclusion.verdict,
      winner: conclusion.winner,
      effect: conclusion.effect,
      p_value: conclusion.p_value,
      ci_low: conclusion.ci_low,
      ci_high: conclusion.ci_high,
      summary: conclusion.summary,
    });
    return conclusion;
  }

  async function recordDecision(input: ExperimentDecisionInput): Promise<void> {
    await updateExperiment(db, input.experimentId, { decision: input.decision, status: input.status });
    if (input.candidateVersion && rejectsCandidate(input.decision.outcome)) {
      await rejectCandidate(db, input.component, input.candidateVersion);
    }
    await emitMetaEvent(db, `${input.experimentId}:decision:${input.decision.action}:${input.decision.outcome}`, {
      type: 'experiment_decided',
      experiment_id: input.experimentId,
      component: input.component,
      action: input.decision.action,
      outcome: input.decision.outcome,
      reason: input.decision.reason,
      decided_by: input.decision.decided_by,
      autonomy_level: input.decision.autonomy_level,
    });
  }
}
