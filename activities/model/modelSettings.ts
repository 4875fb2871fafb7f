import type { Db } from 'mongodb';
import type { Env } from '../../domain/server/env';
import { readSetting, writeSetting } from '../../store/settingsStore';
import type { ModelClient } from './modelClient';
import { createOfflineModel } from './offlineModel';
import { createOpenAiModel, OpenAiSettings } from './openAiModel';

/** Stored model settings; an empty base URL means the built-in offline model. */
export interface StoredModelSettings {
  base_url: string | null;
  model: string | null;
  api_key: string | null;
}

const SETTING_ID = 'model';

export async function readModelSettings(db: Db, env: Env): Promise<StoredModelSettings> {
  const stored = await readSetting<StoredModelSettings>(db, SETTING_ID);
  return stored ?? { base_url: env.LLM_BASE_URL ?? null, model: env.LLM_MODEL ?? null, api_key: env.LLM_API_KEY ?? null };
}

export async function writeModelSettings(db: Db, settings: StoredModelSettings): Promise<void> {
  await writeSetting(db, SETTING_ID, settings);
}

export function openAiSettingsOf(settings: StoredModelSettings): OpenAiSettings | null {
  if (!settings.base_url) return null;
  return { baseUrl: settings.base_url, apiKey: settings.api_key ?? '', model: settings.model || 'gpt-4o-mini' };
}

export async function resolveModelClient(db: Db, env: Env): Promise<ModelClient> {
  const openAi = openAiSettingsOf(await readModelSettings(db, env));
  return openAi ? createOpenAiModel(openAi) : createOfflineModel(env.OFFLINE_TOKEN_DELAY_MS);
}
