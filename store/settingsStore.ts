import type { Db } from 'mongodb';
import type { AutonomyLevel } from '../domain/enums';
import { ChangeRules, DEFAULT_CHANGE_RULES } from '../domain/evolution';
import type { Env } from '../domain/server/env';
import type { EvolutionScheduleSetting, StoredModelSettings } from '../domain/settings';
import { collections, insertOnce, SettingDoc } from './collections';
import { decodeFromStore } from './documentCodec';

/** Every server-wide setting; the keys live here only. */
const SETTING = {
  model: 'model',
  autonomyLevel: 'autonomy_level',
  changeRules: 'change_rules',
  evolutionSchedule: 'evolution_schedule',
  /** The last predictions announced (a hash), so an unchanged recomputation is not announced again. */
  predictionsSignature: 'predictions_signature',
} as const;
type SettingKey = (typeof SETTING)[keyof typeof SETTING];

/**
 * Each change of a setting is a new immutable revision `${key}#${rev}`: the revision number is
 * taken by a unique insert, so of two writers that read the same head exactly one stores rev + 1
 * and the other re-reads and re-applies its change. (An update in place would be a
 * read-modify-write on FerretDB v1, which loses one of two concurrent writes even as a
 * compare-and-set; see store/README.md.)
 */
async function head<T>(db: Db, id: SettingKey): Promise<{ rev: number; value: T } | null> {
  const [newest] = await collections(db).settings.find({ setting: id }).sort({ rev: -1 }).limit(1).toArray();
  return newest ? { rev: newest.rev, value: decodeFromStore(newest.value) as T } : null;
}

/**
 * A setting stored before settings had revisions (one document with `_id` = the key) becomes
 * its revision 1, unless it has revisions already. Idempotent (insert-once), so every process
 * may run it at start.
 */
export async function migrateLegacySettings(db: Db): Promise<void> {
  const { settings } = collections(db);
  // Every key at once: this runs at each process start.
  await Promise.all(
    Object.values(SETTING).map(async (key) => {
      const legacy = await settings.findOne({ _id: key });
      if (!legacy || (await head(db, key))) return;
      await insertOnce(settings, {
        _id: `${key}#1`,
        setting: key,
        rev: 1,
        value: legacy.value,
        updated_at: legacy.updated_at ?? new Date().toISOString(),
      });
    }),
  );
}

async function readSetting<T>(db: Db, id: SettingKey): Promise<T | null> {
  return (await head<T>(db, id))?.value ?? null;
}

/** Applies `change` to the newest value atomically; returns the value it replaced and the new one. */
async function updateSetting<T>(
  db: Db,
  id: SettingKey,
  change: (previous: T | null) => T,
): Promise<{ previous: T | null; value: T }> {
  for (;;) {
    const current = await head<T>(db, id);
    const previous = current?.value ?? null;
    const value = change(previous);
    const rev = (current?.rev ?? 0) + 1;
    const doc: SettingDoc = { _id: `${id}#${rev}`, setting: id, rev, value, updated_at: new Date().toISOString() };
    if (await insertOnce(collections(db).settings, doc)) return { previous, value };
  }
}

const modelSettingsFrom = (env: Env): StoredModelSettings => ({
  base_url: env.LLM_BASE_URL ?? null,
  model: env.LLM_MODEL ?? null,
  api_key: env.LLM_API_KEY ?? null,
});

/** What the console stored, else what the environment says. */
export async function readModelSettings(db: Db, env: Env): Promise<StoredModelSettings> {
  return (await readModelSettingsRevision(db, env)).settings;
}

/** Model settings and the revision they are (0: none stored, the environment's). */
export interface ModelSettingsRevision {
  rev: number;
  settings: StoredModelSettings;
}

/** The newest model settings with their revision, which names them for good (a revision is never changed). */
export async function readModelSettingsRevision(db: Db, env: Env): Promise<ModelSettingsRevision> {
  const current = await head<StoredModelSettings>(db, SETTING.model);
  return current ? { rev: current.rev, settings: current.value } : { rev: 0, settings: modelSettingsFrom(env) };
}

/** The model settings of revision `rev` (0: the environment's), by `_id`; null when there is no such revision. */
export async function readModelSettingsAt(db: Db, env: Env, rev: number): Promise<StoredModelSettings | null> {
  if (rev === 0) return modelSettingsFrom(env);
  const stored = await collections(db).settings.findOne({ _id: `${SETTING.model}#${rev}` });
  return stored ? (decodeFromStore(stored.value) as StoredModelSettings) : null;
}

/** Applies `change` to the current model settings (two concurrent edits both count). */
export async function updateModelSettings(
  db: Db,
  env: Env,
  change: (current: StoredModelSettings) => StoredModelSettings,
): Promise<void> {
  await updateSetting<StoredModelSettings>(db, SETTING.model, (stored) => change(stored ?? modelSettingsFrom(env)));
}

export const readAutonomyLevel = async (db: Db): Promise<AutonomyLevel> =>
  (await readSetting<AutonomyLevel>(db, SETTING.autonomyLevel)) ?? 'manual';

/** Sets the level; returns the one it replaced. */
export async function writeAutonomyLevel(db: Db, level: AutonomyLevel): Promise<AutonomyLevel> {
  return (await updateSetting<AutonomyLevel>(db, SETTING.autonomyLevel, () => level)).previous ?? 'manual';
}

const withDefaults = (stored: Partial<ChangeRules> | null): ChangeRules =>
  ChangeRules.parse({ ...DEFAULT_CHANGE_RULES, ...(stored ?? {}) });

/** The stored rules over the defaults (a rule added later gets its default). */
export async function readChangeRules(db: Db): Promise<ChangeRules> {
  return withDefaults(await readSetting<Partial<ChangeRules>>(db, SETTING.changeRules));
}

/** Changes the named rules and keeps the others, even when two people edit different rules at once. */
export async function updateChangeRules(db: Db, patch: Partial<ChangeRules>): Promise<ChangeRules> {
  return (
    await updateSetting<Partial<ChangeRules>>(db, SETTING.changeRules, (stored) =>
      ChangeRules.parse({ ...withDefaults(stored), ...patch }),
    )
  ).value as ChangeRules;
}

/** null until the console chose an interval. */
export const readEvolutionSchedule = (db: Db) => readSetting<EvolutionScheduleSetting>(db, SETTING.evolutionSchedule);

/** Applies `change` to the stored schedule (null until the console chose one). */
export async function updateEvolutionSchedule(
  db: Db,
  change: (stored: EvolutionScheduleSetting | null) => EvolutionScheduleSetting,
): Promise<EvolutionScheduleSetting> {
  return (await updateSetting<EvolutionScheduleSetting>(db, SETTING.evolutionSchedule, change)).value;
}

export const readPredictionsSignature = (db: Db) => readSetting<string>(db, SETTING.predictionsSignature);

export const writePredictionsSignature = async (db: Db, signature: string) => {
  await updateSetting(db, SETTING.predictionsSignature, () => signature);
};
