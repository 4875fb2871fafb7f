/**
 * How a change to the model settings treats the stored API key. A key belongs to the endpoint it
 * was given for: pointing `base_url` elsewhere without a new key clears it, because the next call
 * (a connection test, a turn) would otherwise hand it to the new host. The key is never readable
 * through the API, so that send was the only way to get it out.
 */
import { z } from 'zod';
import type { StoredModelSettings } from '../../domain/settings';

export const ModelSettingsInput = z
  .object({
    base_url: z.string().trim().url().max(500).nullable().optional().or(z.literal('')),
    model: z.string().trim().max(200).nullable().optional(),
    api_key: z
      .string()
      .max(500)
      .optional()
      .describe('a new key for base_url; omitted or empty keeps the stored one unless base_url changes, which clears it'),
    clear_api_key: z.boolean().optional().describe('true: forget the stored key'),
  })
  .strict()
  .refine((input) => !(input.clear_api_key && input.api_key), {
    message: 'give a new api_key or clear_api_key, not both',
    path: ['clear_api_key'],
  });
export type ModelSettingsInput = z.infer<typeof ModelSettingsInput>;

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
