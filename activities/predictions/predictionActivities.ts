import { createHash } from 'node:crypto';
import type { PredictionRecord, SuiteRun } from '../../domain/evolution';
import type { PredictionClaim, PredictionOutcomeInput } from '../../domain/evolutionContracts';
import { loadComponentSuiteAndTaught } from '../../evaluation/componentSuite';
import { openAiSettingsOf } from '../../model/modelSettings';
import { emitMetaEvent } from '../../store/emit';
import type { TaughtCase } from '../../domain/teaching';
import type { LoadedSuite } from '../../evaluation/suite';
import { listComponentDocs, listVersions, recordSuiteRun, usageByVersion, type VersionDoc } from '../../store/evolutionStore';
import { recordPredictionSettled } from '../../store/predictionSettled';
import { claimPrediction, getPrediction, listPredictions, saveProposal } from '../../store/predictionStore';
import { readModelSettings, readPredictionsSignature, writePredictionsSignature } from '../../store/settingsStore';
import { recentTurnPlans } from '../../store/turnStore';
import type { ActivityDeps } from '../deps';
import { runSuiteCases } from '../suiteRunner';
import { componentFindings, type Finding, unservedFinding } from '../../evolution/predictionFindings';
import { summariseUnserved } from '../../evolution/unservedRequests';

/** Requests no tool served are counted over this many recent chat turns. */
const RECENT_TURNS = 200;

export function createPredictionActivities(deps: ActivityDeps) {
  const { db, env } = deps;

  /**
   * How many of the component's taught cases its current version fails: from the full suite run
   * when there was one (it holds them), else each run once, sandboxed.
   */
  async function failingTaughtCases(
    current: VersionDoc,
    suite: LoadedSuite,
    taught: TaughtCase[],
    fullRun: SuiteRun | null,
  ): Promise<number> {
    if (!taught.length) return 0;
    const ids = new Set(taught.map((t) => t.id));
    const run =
      fullRun ??
      (await runSuiteCases({
        code: current.code,
        component: current.component,
        version: current.version,
        suite,
        cases: suite.cases.filter((c) => ids.has(c.id)),
        repetitions: 1,
        corpus: deps.corpus,
      }));
    return run.cases.filter((c) => ids.has(c.case_id) && !c.passed).length;
  }

  return {
    /**
     * Turns metrics into proposals: failing suite cases, failing taught cases, slow p95, live error spikes,
     * unused components, tunables never evolved, and requests no tool served. Stored by a
     * stable id per component and kind, so re-analysing refreshes a proposal instead of duplicating it.
     */
    async computePredictions(): Promise<PredictionRecord[]> {
      await deps.usage?.flush();
      const findings: Finding[] = [];
      // Only a model rewrite can make code leaner; the offline operator tunes parameters for score.
      const canRewrite = openAiSettingsOf(await readModelSettings(db, env)) !== null;
      for (const component of await listComponentDocs(db)) {
        const versions = await listVersions(db, component._id);
        const current = versions.find((v) => v.version === component.current_version);
        if (!current) continue;
        const { suite, taught } = await loadComponentSuiteAndTaught(db, env.EVOSCOPE_SUITES_DIR, component._id);
        let tests = current.test_results;
        let fullRun: SuiteRun | null = null;
        if (suite && (!tests || tests.suite_hash !== suite.hash)) {
          fullRun = await runSuiteCases({
            code: current.code,
            component: component._id,
            version: current.version,
            suite,
            cases: suite.cases,
            repetitions: 1,
            corpus: deps.corpus,
          });
          tests = fullRun.summary;
          await recordSuiteRun(db, {
            _id: `${current._id}:${suite.hash}`,
            component: component._id,
            version: current.version,
            summary: tests,
            run: null,
            at: new Date().toISOString(),
          });
        }
        const usage = (await usageByVersion(db, component._id)).get(current.version) ?? null;
        const taughtFailing = suite ? await failingTaughtCases(current, suite, taught, fullRun) : 0;
        findings.push(
          ...componentFindings({
            component: component._id,
            version: current.version,
            tests,
            suiteCases: suite ? suite.cases.length : null,
            taughtFailing,
            usage,
            tunables: Object.keys(current.manifest.tunables ?? {}),
            evolved: versions.some((v) => v.created_by.kind === 'experiment' || v.created_by.kind === 'prompt'),
            ageMs: Date.now() - Date.parse(component.created_at),
            canRewrite,
          }),
        );
      }
      const unserved = unservedFinding(summariseUnserved(await recentTurnPlans(db, RECENT_TURNS)), canRewrite);
      if (unserved) findings.push(unserved);
      const now = new Date().toISOString();
      const found = new Set<string>();
      for (const d of findings) {
        const id = `pred-${d.component}-${d.kind}`;
        // A finished proposal that is found again is open again; one in progress stays so (predictionStore.ts).
        await saveProposal(db, id, d, now);
        found.add(id);
      }
      // A proposal not found again keeps showing while it is carried out (its experiment) and once
      // it was (predicted vs actual): fixing the problem is what makes it disappear from the drafts.
      const out = (await listPredictions(db)).filter((p) => found.has(p.id) || p.status !== 'open');
      // Announced only when they changed: the console refetches on this event, and an unchanged
      // recomputation announced every time would make it ask again, and again.
      const signature = createHash('sha256')
        .update(
          JSON.stringify(
            out.map((p) => [
              p.id,
              p.status,
              p.priority,
              p.expected_improvement,
              p.confidence,
              p.estimated_effort,
              p.title,
              p.description,
              p.experiment_id,
              p.actual_improvement,
            ]),
          ),
        )
        .digest('hex');
      if ((await readPredictionsSignature(db)) !== signature) {
        await writePredictionsSignature(db, signature);
        await emitMetaEvent(db, `predictions:${signature}:${now}`, {
          type: 'predictions_updated',
          count: out.length,
          top: out[0]?.id ?? null,
        });
      }
      return out;
    },

    /** Claims the prediction for the sweep's evolution; false when it cannot run or something else carries it out. */
    async markPredictionExecuting(input: PredictionClaim): Promise<boolean> {
      const p = await getPrediction(db, input.predictionId);
      if (!p?.executable) return false;
      return claimPrediction(db, input.predictionId, input.experimentId);
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
