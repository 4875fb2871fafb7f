import type { Db } from 'mongodb';
import type { AutonomyLevel } from '../domain/enums';
import { ChangeRules, DEFAULT_CHANGE_RULES } from '../domain/evolution';
import type { Env } from '../domain/server/env';
import type { EvolutionScheduleSetting, StoredModelSettings } from '../domain/settings';
import { collections } from './collections';

/** Every server-wide setting, one document each; the keys live here only. */
const SETTING = {
  model: 'model',
  autonomyLevel: 'autonomy_level',
  changeRules: 'change_rules',
  evolutionSchedule: 'evolution_schedule',
  /** The last predictions announced (a hash), so an unchanged recomputation is not announced again. */
  predictionsSignature: 'predictions_signature',
} as const;
type SettingKey = (typeof SETTING)[keyof typeof SETTING];

async function readSetting<T>(db: Db, id: SettingKey): Promise<T | null> {
  const doc = await collections(db).settings.findOne({ _id: id });
  return doc ? (doc.value as T) : null;
}

async function writeSetting<T>(db: Db, id: SettingKey, value: T): Promise<void> {
  await collections(db).settings.updateOne(
    { _id: id }, { $set: { value, updated_at: new Date().toISOString() } }, { upsert: true },
  );
}

/** What the console stored, else what the environment says. */
export async function readModelSettings(db: Db, env: Env): Promise<StoredModelSettings> {
  const stored = await readSetting<StoredModelSettings>(db, SETTING.model);
  return stored ?? { base_url: env.LLM_BASE_URL ?? null, model: env.LLM_MODEL ?? null, api_key: env.LLM_API_KEY ?? null };
}

export const writeModelSettings = (db: Db, settings: StoredModelSettings) => writeSetting(db, SETTING.model, settings);

export const readAutonomyLevel = async (db: Db): Promise<AutonomyLevel> =>
  (await readSetting<AutonomyLevel>(db, SETTING.autonomyLevel)) ?? 'manual';

export const writeAutonomyLevel = (db: Db, level: AutonomyLevel) => writeSetting(db, SETTING.autonomyLevel, level);

/** The stored rules over the defaults (a rule added later gets its default). */
export async function readChangeRules(db: Db): Promise<ChangeRules> {
  const stored = await readSetting<Partial<ChangeRules>>(db, SETTING.changeRules);
  return ChangeRules.parse({ ...DEFAULT_CHANGE_RULES, ...(stored ?? {}) });
}

export const writeChangeRules = (db: Db, rules: ChangeRules) => writeSetting(db, SETTING.changeRules, rules);

/** null until the console chose an interval. */
export const readEvolutionSchedule = (db: Db) => readSetting<EvolutionScheduleSetting>(db, SETTING.evolutionSchedule);

export const writeEvolutionSchedule = (db: Db, setting: EvolutionScheduleSetting) => writeSetting(db, SETTING.evolutionSchedule, setting);

export const readPredictionsSignature = (db: Db) => readSetting<string>(db, SETTING.predictionsSignature);

export const writePredictionsSignature = (db: Db, signature: string) => writeSetting(db, SETTING.predictionsSignature, signature);
