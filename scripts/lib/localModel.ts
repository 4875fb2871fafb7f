/**
 * Starts the embedded local model server (model/localServer) as a child process, for
 * `EVOSCOPE_LOCAL_MODEL=1 npm start`, the real-model tests and the bench. Fails loudly when
 * the runtime or the weights were not provisioned: a missing model is never a skipped test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MODEL_ID, DEFAULT_MODEL_PATH, DEFAULT_RUNTIME_DIR } from '../../model/localServer/settings';
import { spawnWithLog, waitForHttp, type ManagedProcess } from './processes';

const root = path.resolve(__dirname, '..', '..');

export interface LocalModelServer {
  process: ManagedProcess;
  /** The OpenAI-compatible base URL, ending in /v1, as LLM_BASE_URL takes it. */
  baseUrl: string;
  modelId: string;
}

export interface LocalModelOptions {
  port: number;
  logFile: string;
  /** LOCAL_MODEL_* settings (threads, temperature, …); see model/localServer/settings.ts. */
  settings?: Record<string, string>;
  /** Copy the server's output to ours, prefixed (npm start). */
  echo?: boolean;
  timeoutMs?: number;
}

function requireLocalModelProvisioned(): void {
  const runtime = path.join(DEFAULT_RUNTIME_DIR, 'node_modules', 'node-llama-cpp', 'package.json');
  for (const [file, what] of [
    [runtime, 'the local model runtime (node-llama-cpp)'],
    [DEFAULT_MODEL_PATH, 'the local model weights (SmolLM2-135M-Instruct)'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing at ${file}; run \`bash scripts/provision.sh --local-model\`.`);
  }
}

export interface LocalModelLauncher {
  /** Spawns one run of the server (the supervisor may call it again after a crash). */
  spawn(): ManagedProcess;
  origin: string;
  /** The OpenAI-compatible base URL, ending in /v1, as LLM_BASE_URL takes it. */
  baseUrl: string;
  modelId: string;
  timeoutMs: number;
}

export function spawnLocalModelServer(options: LocalModelOptions): LocalModelLauncher {
  requireLocalModelProvisioned();
  const settings = {
    LOCAL_MODEL_ID: DEFAULT_MODEL_ID,
    ...options.settings,
    LOCAL_MODEL_HOST: '127.0.0.1',
    LOCAL_MODEL_PORT: String(options.port),
  };
  const origin = `http://127.0.0.1:${options.port}`;
  return {
    spawn: () =>
      spawnWithLog({
        name: 'local-model',
        command: process.execPath,
        args: ['--import', 'tsx', path.join(root, 'model', 'localServer', 'main.ts')],
        cwd: root,
        env: { ...process.env, ...settings },
        logFile: options.logFile,
        echo: options.echo,
      }),
    origin,
    baseUrl: `${origin}/v1`,
    modelId: settings.LOCAL_MODEL_ID,
    // Loading the weights takes 1–3 s on a quiet machine, far longer on a contended one.
    timeoutMs: options.timeoutMs ?? 180_000,
  };
}

export function waitForLocalModelServer(launcher: LocalModelLauncher, p: ManagedProcess): Promise<void> {
  return waitForHttp(`${launcher.origin}/healthz`, { name: 'local model server', process: p, timeoutMs: launcher.timeoutMs });
}

export async function startLocalModelServer(options: LocalModelOptions): Promise<LocalModelServer> {
  const launcher = spawnLocalModelServer(options);
  const p = launcher.spawn();
  await waitForLocalModelServer(launcher, p);
  return { process: p, baseUrl: launcher.baseUrl, modelId: launcher.modelId };
}

/** The load time and memory the server logged once its weights were loaded (its last start in the log), for the bench. */
export function loadFiguresFromLog(logFile: string): { load_ms: number; rss_mb: number } | null {
  const match = [...fs.readFileSync(logFile, 'utf8').matchAll(/loaded \S+ in (\d+) ms \(.*rss (\d+) MB\)/g)].at(-1);
  return match ? { load_ms: Number(match[1]), rss_mb: Number(match[2]) } : null;
}
