import type { Db } from 'mongodb';
import type { ModelRouting } from '../domain/agent';
import type { Intent } from '../domain/plan';
import type { Env } from '../domain/server/env';
import type { StoredModelSettings } from '../domain/settings';
import type { ModelClient, TokenUsageListener } from '../model/modelClient';
import { availableModelsFor, modelIdOf } from '../model/modelSettings';
import { observedModel } from '../metrics/observedModel';
import { observeModelTokens } from '../metrics/workerMetrics';
import { readModelSettingsAt, readModelSettingsRevision } from '../store/settingsStore';

export { modelIdOf };

/**
 * The models a turn may use. A chat turn takes the newest model settings once, when it selects
 * its models, and names their revision to its later steps (`settingsRev`), so the turn is
 * consistent with itself and a model configured in the console applies from the next turn. A
 * revision never changes, so this process keeps the few it read and reads a named one only when
 * another process took it. Model calls and tokens are counted for /metrics, and `onUsage` (a
 * step's tally) hears each call's tokens too.
 */
const REVISIONS_KEPT = 16;
const revisionsByDb = new WeakMap<Db, Map<number, StoredModelSettings>>();

function keptRevisions(db: Db): Map<number, StoredModelSettings> {
  const kept = revisionsByDb.get(db) ?? new Map<number, StoredModelSettings>();
  revisionsByDb.set(db, kept);
  return kept;
}

/** Keeps a stored revision (revision 0, the environment's, is never read from the store); the oldest kept goes first. */
function keep(db: Db, rev: number, settings: StoredModelSettings) {
  if (rev === 0) return;
  const kept = keptRevisions(db);
  kept.set(rev, settings);
  if (kept.size > REVISIONS_KEPT) kept.delete(kept.keys().next().value!);
}

async function settingsOfRevision(db: Db, env: Env, rev: number): Promise<StoredModelSettings | null> {
  const kept = keptRevisions(db).get(rev);
  if (kept) return kept;
  const read = await readModelSettingsAt(db, env, rev);
  if (read) keep(db, rev, read);
  return read;
}

/** The models of some model settings, observed for /metrics and by `onUsage`. */
const modelsFor = (settings: StoredModelSettings, env: Env, onUsage?: TokenUsageListener): ModelClient[] =>
  availableModelsFor(settings, env, (u) => {
    observeModelTokens(u.input_tokens, u.output_tokens);
    onUsage?.(u);
  }).map(observedModel);

/** A turn's models and the settings revision they come from. */
export interface TurnModels {
  settingsRev: number;
  models: ModelClient[];
}

/** Which settings a turn's models come from, and who else hears their tokens. */
export interface ModelOptions {
  /** The turn's settings revision; absent (or gone), the newest settings. */
  settingsRev?: number;
  /** Hears each call's tokens (a step's tally), besides /metrics. */
  onUsage?: TokenUsageListener;
}

/**
 * Every model of settings revision `settingsRev` (the configured endpoint, if any, first; then the
 * built-in offline model); without one (or when it is gone), of the newest settings.
 */
export async function availableModels(db: Db, env: Env, { settingsRev, onUsage }: ModelOptions = {}): Promise<TurnModels> {
  const pinned = settingsRev === undefined ? null : await settingsOfRevision(db, env, settingsRev);
  if (pinned) return { settingsRev: settingsRev!, models: modelsFor(pinned, env, onUsage) };
  const newest = await readModelSettingsRevision(db, env);
  keep(db, newest.rev, newest.settings);
  return { settingsRev: newest.rev, models: modelsFor(newest.settings, env, onUsage) };
}

/** The configured OpenAI-compatible endpoint, else the built-in offline model (of the newest settings). */
export async function resolveModelClient(db: Db, env: Env): Promise<ModelClient> {
  return (await availableModels(db, env)).models[0];
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

/** The first model of a route among those of settings revision `settingsRev` (see `availableModels`), else the first of them. */
export async function modelForRoute(
  db: Db,
  env: Env,
  route: readonly string[],
  options: ModelOptions = {},
): Promise<ModelClient> {
  return pickForRoute((await availableModels(db, env, options)).models, route);
}
