import { randomUUID } from 'node:crypto';
import { AutonomyLevel } from '../../domain/enums';
import { openAiSettingsOf } from '../../model/modelSettings';
import { OFFLINE_LABEL } from '../../model/offlineModel';
import { probeOpenAiModel } from '../../model/openAiModel';
import { emitMetaEvent } from '../../store/emit';
import { readAutonomyLevel, readModelSettings, updateModelSettings, writeAutonomyLevel } from '../../store/settingsStore';
import type { ApiDeps } from '../deps';
import { parseInput } from '../errors';
import type { SystemMetrics } from '../../domain/meta';
import { readEvolutionFacts } from '../../store/evolutionStore';
import { computeRunMetrics, evolutionMetrics } from './systemMetrics';
import { readSystemActivity } from './systemActivity';
import { sharedFor } from './sharedFor';
import type { SystemActivity } from '../../domain/systemActivity';
import { changeModelSettings } from './modelSettingsChange';
import { ModelSettingsInput, type ModelConnectionTest, type ModelSettingsView } from '../../domain/modelSettings';

const METRICS_FRESH_MS = 1000;

/** Model settings, autonomy level and metrics: the meta panel's use cases. */
export function createSystemService(deps: ApiDeps) {
  const { db, env } = deps;

  const autonomyLevel = (): Promise<AutonomyLevel> => readAutonomyLevel(db);

  async function computeMetrics(): Promise<SystemMetrics> {
    const [facts, runs] = await Promise.all([
      readEvolutionFacts(db, await autonomyLevel()),
      computeRunMetrics(db, deps.feed.eventsPerSecond()),
    ]);
    return evolutionMetrics(facts, runs, new Date());
  }

  /** The API key is write-only: callers learn only whether one is set (and, answering a change, whether it cleared one). */
  async function modelSettings(apiKeyCleared = false): Promise<ModelSettingsView> {
    const settings = await readModelSettings(db, env);
    return {
      base_url: settings.base_url,
      model: settings.base_url ? settings.model : OFFLINE_LABEL.model,
      has_api_key: Boolean(settings.api_key),
      api_key_cleared: apiKeyCleared,
      offline: !settings.base_url,
    };
  }

  return {
    modelSettings: () => modelSettings(),

    async updateModelSettings(input: unknown) {
      const patch = parseInput(ModelSettingsInput, input);
      let apiKeyCleared = false;
      await updateModelSettings(db, env, (current) => {
        const change = changeModelSettings(current, patch);
        apiKeyCleared = change.apiKeyCleared;
        return change.next;
      });
      return modelSettings(apiKeyCleared);
    },

    /** Makes a real call to the configured endpoint (or answers for the offline model). */
    async testModelConnection(): Promise<ModelConnectionTest> {
      const settings = openAiSettingsOf(await readModelSettings(db, env));
      const started = Date.now();
      if (!settings)
        return {
          ok: true,
          model: OFFLINE_LABEL.model,
          latency_ms: 0,
          message: 'The built-in offline model is active; no endpoint to call.',
        };
      try {
        const reply = await probeOpenAiModel(settings);
        return {
          ok: true,
          model: settings.model,
          latency_ms: Date.now() - started,
          message: `The endpoint answered: ${reply.slice(0, 200)}`,
        };
      } catch (err) {
        return {
          ok: false,
          model: settings.model,
          latency_ms: Date.now() - started,
          message: err instanceof Error ? err.message : String(err),
        };
      }
    },

    autonomyLevel,

    async setAutonomyLevel(level: unknown): Promise<AutonomyLevel> {
      const next = parseInput(AutonomyLevel, level);
      const previous = await writeAutonomyLevel(db, next);
      if (previous !== next) {
        await emitMetaEvent(db, `autonomy:${randomUUID()}`, { type: 'autonomy_level_changed', previous, level: next });
      }
      return next;
    },

    /** Shared by every caller for a second: many open consoles cost one computation. */
    systemMetrics: sharedFor<SystemMetrics>(METRICS_FRESH_MS, computeMetrics),

    /** The last hour minute by minute; shared for a second like the metrics. */
    systemActivity: sharedFor<SystemActivity>(METRICS_FRESH_MS, () => readSystemActivity(db)),
  };
}
export type SystemService = ReturnType<typeof createSystemService>;
