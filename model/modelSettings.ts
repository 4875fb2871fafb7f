import type { ModelLabel } from '../domain/chat';
import type { Env } from '../domain/server/env';
import type { StoredModelSettings } from '../domain/settings';
import type { ModelClient, TokenUsageListener } from './modelClient';
import { createOfflineModel } from './offlineModel';
import { createOpenAiModel, OpenAiSettings } from './openAiModel';

export function openAiSettingsOf(settings: StoredModelSettings): OpenAiSettings | null {
  if (!settings.base_url) return null;
  return { baseUrl: settings.base_url, apiKey: settings.api_key ?? '', model: settings.model || 'gpt-4o-mini' };
}

/** How the model selector names a model. */
export const modelIdOf = (label: ModelLabel) => (label.offline ? 'offline' : `${label.provider}/${label.model}`);

/** Every model a turn may use: the configured endpoint (if any) first, then the built-in offline model. */
export function availableModelsFor(settings: StoredModelSettings, env: Env, onUsage?: TokenUsageListener): ModelClient[] {
  const openAi = openAiSettingsOf(settings);
  const offline = createOfflineModel(env.OFFLINE_TOKEN_DELAY_MS);
  return openAi ? [createOpenAiModel(openAi, onUsage), offline] : [offline];
}
