import type { Db } from 'mongodb';
import type { ModelRouting } from '../domain/agent';
import type { Intent } from '../domain/plan';
import type { Env } from '../domain/server/env';
import type { ModelClient, TokenUsageListener } from '../model/modelClient';
import { availableModelsFor, modelIdOf } from '../model/modelSettings';
import { observedModel } from '../metrics/observedModel';
import { observeModelTokens } from '../metrics/workerMetrics';
import { readModelSettings } from '../store/settingsStore';

export { modelIdOf };

/**
 * Every model a turn may use, read at every use, so a model configured in the console applies to
 * the next step; their calls and tokens are counted for /metrics, and `onUsage` (the step's
 * tally) hears each call's tokens too.
 */
export async function availableModels(db: Db, env: Env, onUsage?: TokenUsageListener): Promise<ModelClient[]> {
  const models = availableModelsFor(await readModelSettings(db, env), env, (u) => {
    observeModelTokens(u.input_tokens, u.output_tokens);
    onUsage?.(u);
  });
  return models.map(observedModel);
}

/** The configured OpenAI-compatible endpoint, else the built-in offline model. */
export async function resolveModelClient(db: Db, env: Env): Promise<ModelClient> {
  return (await availableModels(db, env))[0];
}

/** The models of the intent's route, preferred first. */
export const routeOf = (routing: ModelRouting, intent: Intent) => routing.routes[intent.intent] ?? [routing.default];

/** The first model of a route among `models`, else the first of them. */
export function pickForRoute(models: ModelClient[], route: readonly string[]): ModelClient {
  for (const id of route) {
    const model = models.find((m) => modelIdOf(m.label) === id);
    if (model) return model;
  }
  return models[0];
}

/** The first model of a route that is still available (settings may change during a turn), else the first available. */
export async function modelForRoute(
  db: Db,
  env: Env,
  route: readonly string[],
  onUsage?: TokenUsageListener,
): Promise<ModelClient> {
  return pickForRoute(await availableModels(db, env, onUsage), route);
}
