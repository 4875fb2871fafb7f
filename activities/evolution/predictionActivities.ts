import { createHash } from 'node:crypto';
import type { PredictionRecord } from '../../domain/evolution';
import type { PredictionClaim } from '../../domain/evolutionContracts';
import { loadComponentSuite } from '../../evaluation/componentSuite';
import { openAiSettingsOf } from '../../model/modelSettings';
import { emitMetaEvent } from '../../store/emit';
import type { TaughtCase } from '../../domain/teaching';
import type { LoadedSuite } from '../../evaluation/suite';
import { listComponentDocs, listVersions, recordSuiteRun, usageByVersion, type VersionDoc } from '../../store/evolutionStore';
import { claimPrediction, getPrediction, listPredictions, PredictionDraft, saveProposal } from '../../store/predictionStore';
import { readModelSettings, readPredictionsSignature, writePredictionsSignature } from '../../store/settingsStore';
import { listTaughtCases } from '../../store/teachingStore';
import { recentTurnPlans } from '../../store/turnStore';
import type { ActivityDeps } from '../deps';
import { runSuiteCases } from './suiteRunner';
import { summariseUnserved } from './unservedRequests';

const SLOW_P95_MS = 50;
const ERROR_SPIKE_RATE = 0.2;
const MIN_LIVE_RUNS = 5;
/** Requests no tool served are counted over this many recent chat turns… */
const RECENT_TURNS = 200;
/** …and proposed once there are this many (one odd message is not a missing tool). */
const MIN_UNSERVED = 2;
/** The pseudo component of proposals about the plan as a whole, not one component. */
const PLANNER = 'planner';

type Draft = PredictionDraft;

/** Priority 1–10 from expected gain, confidence and effort (hours). */
const priorityOf = (d: Pick<Draft, 'expected_improvement' | 'confidence' | 'estimated_effort'>) =>
  Math.max(
    1,
    Math.min(
      10,
      Math.round(1 + 9 * Math.min(1, ((d.expected_improvement * d.confidence * 4) / Math.max(0.25, d.estimated_effort)) * 2)),
    ),
  );

/** What one check found about a component. */
type Finding = Omit<Draft, 'component' | 'priority'>;

const draftOf = (component: string, finding: Finding): Draft => ({ component, ...finding, priority: priorityOf(finding) });

export function createPredictionActivities(deps: ActivityDeps) {
  const { db, env } = deps;

  /** How many of the component's taught cases its current version fails (each run once, sandboxed). */
  async function failingTaughtCases(current: VersionDoc, suite: LoadedSuite, taught: TaughtCase[]): Promise<number> {
    if (!taught.length) return 0;
    const ids = new Set(taught.map((t) => t.id));
    const run = await runSuiteCases({
      code: current.code,
      component: current.component,
      version: current.version,
      suite,
      cases: suite.cases.filter((c) => ids.has(c.id)),
      repetitions: 1,
      corpus: deps.corpus,
    });
    return run.summary.cases - run.summary.passed;
  }

  return {
    /**
     * Turns metrics into proposals: failing suite cases, failing taught cases, slow p95, live error spikes,
     * unused components, tunables never evolved, and requests no tool served. Stored by a
     * stable id per component and kind, so re-analysing refreshes a proposal instead of duplicating it.
     */
    async computePredictions(): Promise<PredictionRecord[]> {
      await deps.usage?.flush();
      const drafts: Draft[] = [];
      // Only a model rewrite can make code leaner; the offline operator tunes parameters for score.
      const canRewrite = openAiSettingsOf(await readModelSettings(db, env)) !== null;
      for (const component of await listComponentDocs(db)) {
        const versions = await listVersions(db, component._id);
        const current = versions.find((v) => v.version === component.current_version);
        if (!current) continue;
        const suite = await loadComponentSuite(db, env.EVOSCOPE_SUITES_DIR, component._id);
        let tests = current.test_results;
        if (suite && (!tests || tests.suite_hash !== suite.hash)) {
          tests = (
            await runSuiteCases({
              code: current.code,
              component: component._id,
              version: current.version,
              suite,
              cases: suite.cases,
              repetitions: 1,
              corpus: deps.corpus,
            })
          ).summary;
          await recordSuiteRun(db, {
            _id: `${current._id}:${suite.hash}`,
            component: component._id,
            version: current.version,
            summary: tests,
            run: null,
            at: new Date().toISOString(),
          });
        }
        const usage = (await usageByVersion(db, component._id)).get(current.version);
        const executable = Boolean(suite) && Object.keys(current.manifest.tunables ?? {}).length > 0;
        const add = (finding: Omit<Finding, 'executable'>, canRun = executable) =>
          drafts.push(draftOf(component._id, { ...finding, executable: canRun }));

        if (tests && tests.pass_rate < 1) {
          add({
            kind: 'failing_cases',
            title: `${component._id}: ${tests.cases - tests.passed} of ${tests.cases} suite cases fail`,
            description: `Mean score ${tests.mean_score.toFixed(3)}; evolving it should pass more cases.`,
            expected_improvement: (1 - tests.mean_score) * 0.5,
            confidence: 0.5,
            estimated_effort: 1,
          });
        }
        const taughtFailing = suite ? await failingTaughtCases(current, suite, await listTaughtCases(db, component._id)) : 0;
        if (taughtFailing > 0) {
          add({
            kind: 'taught_cases_fail',
            title: `${component._id}: ${taughtFailing} taught case${taughtFailing === 1 ? '' : 's'} fail${taughtFailing === 1 ? 's' : ''}`,
            description: `People marked answers wrong that ${current.version} still gets wrong; evolving it against its suite (taught cases included) should learn the lesson.`,
            expected_improvement: Math.min(1, taughtFailing / suite!.cases.length + 0.1),
            confidence: 0.6,
            estimated_effort: 1,
          });
        }
        if (tests && tests.latency_p95_ms > SLOW_P95_MS) {
          add(
            {
              kind: 'slow_p95',
              title: `${component._id}: p95 ${tests.latency_p95_ms.toFixed(0)} ms in the sandbox`,
              description: `Above ${SLOW_P95_MS} ms; a leaner version would answer faster${canRewrite ? '' : ' (it takes a model to rewrite it: configure one, or edit it by hand)'}.`,
              expected_improvement: 0.2,
              confidence: 0.3,
              estimated_effort: 2,
            },
            executable && canRewrite,
          );
        }
        if (usage && usage.usage_count >= MIN_LIVE_RUNS && usage.error_count / usage.usage_count > ERROR_SPIKE_RATE) {
          add({
            kind: 'error_spike',
            title: `${component._id}: ${((usage.error_count / usage.usage_count) * 100).toFixed(0)} % of live runs fail`,
            description: `${usage.error_count} of ${usage.usage_count} runs of ${current.version} failed.`,
            expected_improvement: usage.error_count / usage.usage_count / 2,
            confidence: 0.6,
            estimated_effort: 1,
          });
        }
        const ageMs = Date.now() - Date.parse(component.created_at);
        if ((!usage || usage.usage_count === 0) && ageMs > 3600_000) {
          add(
            {
              kind: 'unused_component',
              title: `${component._id} has not been used`,
              description: 'No chat turn ran its current version; consider retiring or describing it better.',
              expected_improvement: 0,
              confidence: 0.4,
              estimated_effort: 0.5,
            },
            false,
          );
        }
        const evolved = versions.some((v) => v.created_by.kind === 'experiment' || v.created_by.kind === 'prompt');
        if (executable && !evolved) {
          add({
            kind: 'untuned_parameters',
            title: `${component._id}: tunables never evolved`,
            description: `Declares ${Object.keys(current.manifest.tunables ?? {}).join(', ')}; the offline operator can search them against the suite.`,
            expected_improvement: 0.05,
            confidence: 0.3,
            estimated_effort: 0.5,
          });
        }
      }
      const unserved = summariseUnserved(await recentTurnPlans(db, RECENT_TURNS));
      if (unserved.unserved >= MIN_UNSERVED) {
        // Advice only: the offline operator tunes existing components; a new tool takes a person (or a model).
        drafts.push(
          draftOf(PLANNER, {
            kind: 'unserved_requests',
            title: `${unserved.unserved} of ${unserved.turns} recent requests found no tool: e.g. "${unserved.examples[0]}"`,
            description:
              `The plan chose no tool, memory or docs step for these, or the one it chose failed (most recent first): ${unserved.examples.map((e) => `"${e}"`).join('; ')}. ` +
              (canRewrite
                ? 'A new tool would serve them: the configured model can draft one with a suite (POST /api/meta/generated-tools with this prediction_id); a person accepts the suite before it can be promoted.'
                : 'A new tool would serve them: a person can write one, or a configured model can draft one (set the model settings, LLM_BASE_URL, or start with EVOSCOPE_LOCAL_MODEL=1).'),
            expected_improvement: unserved.unserved / unserved.turns,
            confidence: Math.min(0.7, 0.2 + unserved.turns / 100),
            estimated_effort: 4,
            executable: false,
          }),
        );
      }
      const now = new Date().toISOString();
      const found = new Set<string>();
      for (const d of drafts) {
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
  };
}
