/**
 * How a change to the model settings treats the stored API key. A key belongs to the endpoint it
 * was given for: pointing `base_url` elsewhere without a new key clears it, because the next call
 * (a connection test, a turn) would otherwise hand it to the new host. The key is never readable
 * through the API, so that send was the only way to get it out.
 */
import type { ModelSettingsInput } from '../../domain/modelSettings';
import type { StoredModelSettings } from '../../domain/settings';

export interface ModelSettingsChange {
  next: StoredModelSettings;
  /** A key was stored and this change dropped it: asked to, or because base_url moved without a new key. */
  apiKeyCleared: boolean;
}

export function changeModelSettings(current: StoredModelSettings, patch: ModelSettingsInput): ModelSettingsChange {
  const baseUrl = patch.base_url === undefined ? current.base_url : patch.base_url || null;
  const hostMoved = baseUrl !== current.base_url;
  const keepsKey = !patch.clear_api_key && !hostMoved;
  const apiKey = patch.api_key || (keepsKey ? current.api_key : null);
  return {
    next: { base_url: baseUrl, model: patch.model === undefined ? current.model : patch.model || null, api_key: apiKey },
    apiKeyCleared: Boolean(current.api_key) && apiKey === null,
  };
}
