import type { Env } from '../domain/server/env';
import type { StoredModelSettings } from '../domain/settings';
import type { ModelClient } from './modelClient';
import { createOfflineModel } from './offlineModel';
import { createOpenAiModel, OpenAiSettings } from './openAiModel';

export function openAiSettingsOf(settings: StoredModelSettings): OpenAiSettings | null {
  if (!settings.base_url) return null;
  return { baseUrl: settings.base_url, apiKey: settings.api_key ?? '', model: settings.model || 'gpt-4o-mini' };
}

/** The configured OpenAI-compatible endpoint, else the built-in offline model. */
export function modelClientFor(settings: StoredModelSettings, env: Env): ModelClient {
  const openAi = openAiSettingsOf(settings);
  return openAi ? createOpenAiModel(openAi) : createOfflineModel(env.OFFLINE_TOKEN_DELAY_MS);
}
