import { ApplicationFailure } from '@temporalio/activity';
import type { CurrentVersionChange, CurrentVersionChangeResult } from '../../domain/evolution';
import type {
  ComponentVersionRef,
  PredictionOutcomeInput,
  RegressionCheck,
  RegressionInput,
} from '../../domain/evolutionContracts';
import { syncDiskFile } from '../../registry/folderSync';
import { makeVersionCurrent } from '../../registry/makeVersionCurrent';
import type { RollbackQuestion } from '../../evolution/decideRollback';
import {
  getChange,
  getComponent,
  getVersion,
  newestJudgementOf,
  updateExperiment,
  usageByVersion,
} from '../../store/evolutionStore';
import { readAutonomyLevel, readChangeRules } from '../../store/settingsStore';
import { recordPredictionSettled } from '../../store/predictionSettled';
import type { ActivityDeps } from '../deps';

export function createPromotionActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  const refresh = async () => {
    await deps.refreshComponents?.();
  };

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
     * version is still current; store, then file, then the event. Only workflow
     * changeCurrentVersion calls it, one run per component at a time, so the check and the
     * write are one step with one writer (FerretDB v1 has no atomic compare-and-set).
     * Idempotent: a retried attempt whose first try landed finds its change by key.
     */
    async changeCurrentVersion(input: CurrentVersionChange): Promise<CurrentVersionChangeResult> {
      const known = await getComponent(db, input.component);
      if (!known)
        throw ApplicationFailure.create({
          message: `no component named ${input.component}`,
          type: 'UnknownComponent',
          nonRetryable: true,
        });
      // The developer's file first: an edit waiting in it is current before anything is decided on.
      await syncDiskFile(db, env.EVOSCOPE_COMPONENTS_DIR, known.file_path);
      const component = (await getComponent(db, input.component)) ?? known;
      // A retried attempt whose first try recorded the change finishes it (every write is idempotent).
      const landed = await getChange(db, input.key);
      if (!landed && input.expectedCurrent !== null && component.current_version !== input.expectedCurrent) {
        return { changed: false, current: component.current_version };
      }
      const done = await makeVersionCurrent(db, env.EVOSCOPE_COMPONENTS_DIR, {
        component: input.component,
        version: input.version,
        kind: input.kind,
        by: input.by,
        reason: input.reason,
        experimentId: input.experimentId,
        key: input.key,
      });
      if (input.kind === 'rollback' && input.experimentId) {
        await updateExperiment(db, input.experimentId, { rolled_back: { at: new Date().toISOString(), reason: input.reason } });
      }
      await refresh();
      return { changed: true, ...done };
    },

    /**
     * Live runs of the promoted version against its parent's: a regression is an error-rate
     * rise or a mean-latency growth past the rules' thresholds, once enough runs are in.
     */
    async measureLiveRegression(input: RegressionInput): Promise<RegressionCheck> {
      await deps.usage?.flush();
      const usage = await usageByVersion(db, input.component);
      const now = usage.get(input.version) ?? { usage_count: 0, error_count: 0, total_latency_ms: 0, last_used: null };
      const base = usage.get(input.baselineVersion) ?? { usage_count: 0, error_count: 0, total_latency_ms: 0, last_used: null };
      const rate = (u: typeof now) => (u.usage_count ? u.error_count / u.usage_count : 0);
      const latency = (u: typeof now) => (u.usage_count ? u.total_latency_ms / u.usage_count : 0);
      const check = {
        samples: now.usage_count,
        error_rate: rate(now),
        baseline_error_rate: rate(base),
        avg_latency_ms: latency(now),
        baseline_avg_latency_ms: latency(base),
      };
      if (now.usage_count < input.rules.min_watch_samples)
        return {
          ...check,
          regressed: false,
          reason: `${now.usage_count} live runs so far; judging from ${input.rules.min_watch_samples}`,
        };
      if (check.error_rate - check.baseline_error_rate > input.rules.max_error_rate_increase) {
        return {
          ...check,
          regressed: true,
          reason: `error rate ${(check.error_rate * 100).toFixed(1)} % vs ${(check.baseline_error_rate * 100).toFixed(1)} % before (limit +${input.rules.max_error_rate_increase * 100} points)`,
        };
      }
      if (
        base.usage_count > 0 &&
        check.baseline_avg_latency_ms > 0 &&
        check.avg_latency_ms > check.baseline_avg_latency_ms * (1 + input.rules.max_latency_increase_ratio)
      ) {
        return {
          ...check,
          regressed: true,
          reason: `mean latency ${check.avg_latency_ms.toFixed(1)} ms vs ${check.baseline_avg_latency_ms.toFixed(1)} ms before (limit +${input.rules.max_latency_increase_ratio * 100} %)`,
        };
      }
      return { ...check, regressed: false, reason: 'within thresholds' };
    },

    /** How the evolution carrying a prediction out ended; `failure` (absent from older workflows) when it ended without an outcome. */
    async recordPredictionOutcome(input: PredictionOutcomeInput): Promise<void> {
      await recordPredictionSettled(db, input.predictionId, input.experimentId, {
        actualImprovement: input.actualImprovement,
        failure: input.failure ?? null,
      });
    },
  };
}
