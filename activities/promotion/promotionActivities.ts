import { OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import { ApplicationFailure } from '@temporalio/activity';
import type { CurrentVersionChange, CurrentVersionChangeResult } from '../../domain/evolution';
import type { ComponentVersionRef, RegressionCheck, RegressionInput } from '../../domain/evolutionContracts';
import { makeVersionCurrent } from '../../registry/makeVersionCurrent';
import type { RollbackQuestion } from '../../evolution/decideRollback';
import { judgeLiveRegression } from '../../evolution/liveRegression';
import { getComponent, getVersion, newestJudgementOf, updateExperiment, usageByVersion } from '../../store/evolutionStore';
import { readAutonomyLevel, readChangeRules } from '../../store/settingsStore';
import type { ActivityDeps } from '../deps';
import { stepOfExperiment } from '../runStepSpecs';
import { traceStep } from '../../telemetry/runStepTrace';
import { versionChangeAttributes } from '../../telemetry/runStepAttributes';

export function createPromotionActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  const refresh = async () => {
    await deps.refreshComponents?.();
  };

  async function changeCurrentVersion(input: CurrentVersionChange): Promise<CurrentVersionChangeResult> {
    const known = await getComponent(db, input.component);
    if (!known)
      throw ApplicationFailure.create({
        message: `no component named ${input.component}`,
        type: 'UnknownComponent',
        nonRetryable: true,
      });
    const done = await makeVersionCurrent(db, env.EVOSCOPE_COMPONENTS_DIR, input, known);
    if (!done.changed) return done;
    if (input.kind === 'rollback' && input.experimentId) {
      await updateExperiment(db, input.experimentId, { rolled_back: { at: new Date().toISOString(), reason: input.reason } });
    }
    await refresh();
    return done;
  }

  return {
    /** What the rollback gate (evolution/decideRollback.ts) decides on, as the store has it now (the workflow counts recent automatic promotions with countRecentAutoPromotions). */
    async readRollbackFacts(
      input: ComponentVersionRef,
    ): Promise<Omit<RollbackQuestion, 'component' | 'version' | 'personReason' | 'recentAutoPromotions'>> {
      const [version, judged] = await Promise.all([
        getVersion(db, input.component, input.version),
        newestJudgementOf(db, input.component, input.version),
      ]);
      if (!version)
        throw ApplicationFailure.create({
          message: `${input.component} has no version ${input.version}`,
          type: 'UnknownVersion',
          nonRetryable: true,
        });
      return {
        wasCurrent: version.status === 'current' || version.status === 'previous',
        judged: judged?.conclusion ? { conclusion: judged.conclusion, isRewrite: version.created_by.kind === 'prompt' } : null,
        level: await readAutonomyLevel(db),
        rules: await readChangeRules(db),
      };
    },

    /**
     * The guarded change of the current version: promote (or roll back) only if the expected
     * version is still current (registry/makeVersionCurrent.ts). Only workflow
     * changeCurrentVersion calls it, one run per component at a time, so the check and the
     * write are one step with one writer (FerretDB v1 has no atomic compare-and-set).
     */
    changeCurrentVersion: (input: CurrentVersionChange): Promise<CurrentVersionChangeResult> =>
      traceStep(
        deps,
        // A step of the evolution only when the evolution made it (its key starts with the evolution's
        // workflow id); a person's later rollback of its version is no step of it.
        async () => {
          if (!input.experimentId) return null;
          const step = await stepOfExperiment(db, input.experimentId, {
            key: input.key,
            name: `${input.kind}: ${input.component}@${input.version}`,
            kind: OpenInferenceSpanKind.TOOL,
          });
          return step && input.key.startsWith(`change:${step.runId}:`) ? step : null;
        },
        () => changeCurrentVersion(input),
        (done) => versionChangeAttributes(input.kind, done),
      ),

    /** The watch's check (evolution/liveRegression.ts) over the live usage of the promoted version and its parent. */
    async measureLiveRegression(input: RegressionInput): Promise<RegressionCheck> {
      await deps.usage?.flush();
      const usage = await usageByVersion(db, input.component);
      return judgeLiveRegression(usage.get(input.version), usage.get(input.baselineVersion), input.rules);
    },
  };
}
