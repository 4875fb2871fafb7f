/**
 * What every model-written component file goes through, a rewrite of a component or a new
 * tool: one plain completion (heartbeating while the model thinks, cancelled with the
 * activity), then the file compiled in the sandbox to read its manifest.
 */
import type { ComponentManifest } from '../domain/manifest';
import type { TokenUsageListener } from '../model/modelClient';
import { rethrowModelError } from '../model/modelRefusal';
import { openAiClient, type OpenAiSettings } from '../model/openAiModel';
import { readComponentManifest } from '../sandbox/readComponentManifest';
import { heartbeatingWhile } from './heartbeats';

/** Often enough that a slow model never looks like a dead worker (the heartbeat timeout is 2 minutes). */
const MODEL_HEARTBEAT_EVERY_MS = 10_000;

/** The model's reply text to one system + user prompt (empty when it sent none); usable outside an activity. */
export async function completeDraft(
  settings: OpenAiSettings,
  system: string,
  user: string,
  options: { signal?: AbortSignal; timeoutMs?: number; onUsage?: TokenUsageListener } = {},
): Promise<string> {
  const completion = await openAiClient(settings, options.timeoutMs)
    .chat.completions.create(
      {
        model: settings.model,
        temperature: 0.2,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      },
      { signal: options.signal },
    )
    .catch(rethrowModelError);
  if (completion.usage)
    options.onUsage?.({ input_tokens: completion.usage.prompt_tokens, output_tokens: completion.usage.completion_tokens });
  return completion.choices[0]?.message?.content ?? '';
}

/** completeDraft inside an activity: heartbeating while the model thinks, cancelled with the activity; `onUsage` hears its tokens. */
export const askModelForFile = (
  settings: OpenAiSettings,
  system: string,
  user: string,
  onUsage?: TokenUsageListener,
): Promise<string> =>
  heartbeatingWhile(MODEL_HEARTBEAT_EVERY_MS, (signal) => completeDraft(settings, system, user, { signal, onUsage }));

/** The drafted file's manifest, or why it does not compile. */
export async function compileDraft(code: string): Promise<{ manifest: ComponentManifest } | { error: string }> {
  try {
    return { manifest: await readComponentManifest(code) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
