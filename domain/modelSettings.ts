import { z } from 'zod';

/** The model settings over the API: a change, the view (the key is write-only), and a connection test's answer. */

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

export const ModelSettingsView = z.object({
  base_url: z.string().nullable(),
  model: z.string().nullable(),
  has_api_key: z.boolean().describe('whether a key is stored; the key itself is never returned'),
  api_key_cleared: z
    .boolean()
    .describe('true when this change dropped the stored key: asked to (clear_api_key), or base_url moved without a new key'),
  offline: z.boolean(),
});
export type ModelSettingsView = z.infer<typeof ModelSettingsView>;

export const ModelConnectionTest = z.object({ ok: z.boolean(), model: z.string(), latency_ms: z.number(), message: z.string() });
export type ModelConnectionTest = z.infer<typeof ModelConnectionTest>;
