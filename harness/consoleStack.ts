/**
 * The stack the browser tests and the console bench drive: the worker and the API as real child
 * processes (`node --no-node-snapshot --import tsx worker/main.ts`, likewise
 * api/main.ts), on the Temporal and FerretDB servers jest's global setup
 * started, with their own database, task queue, port and token. The API can
 * be restarted on the same port, which is how a test cuts the console's
 * WebSocket the hard way.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  getFreePort,
  spawnWithLog,
  stopAll,
  stopProcess,
  tailLog,
  waitForHttp,
  type ManagedProcess,
} from '../scripts/lib/processes';
import { uniqueDbName } from './servers';

const root = path.resolve(__dirname, '..');
const nodeArgs = ['--no-node-snapshot', '--import', 'tsx'];

export interface ConsoleStack {
  baseUrl: string;
  token: string;
  /** The URL `npm start` would print. */
  consoleUrl: string;
  logDir: string;
  /** The stack's own database (MONGODB_DB), for tests that seed data directly. */
  dbName: string;
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Stops the API process (every socket drops) and starts it again on the same port. */
  restartApi(downMs?: number): Promise<void>;
  stopApi(): Promise<void>;
  startApi(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds web/dist when it is missing or older than any source file of the console. */
export function ensureWebBuilt(): void {
  const dist = path.join(root, 'web', 'dist', 'index.html');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const full = path.join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }, 0);
  const sourceTime = Math.max(newest(path.join(root, 'web', 'src')), fs.statSync(path.join(root, 'web', 'index.html')).mtimeMs);
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= sourceTime) return;
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
}

export interface ConsoleStackOptions {
  /** false: consider the API up once it answers, even before a worker polls (for looking at the UI alone). */
  waitForWorker?: boolean;
}

export async function startConsoleStack(
  name: string,
  envOverrides: Record<string, string> = {},
  options: ConsoleStackOptions = {},
): Promise<ConsoleStack> {
  if (!process.env.TEMPORAL_ADDRESS || !process.env.MONGODB_URL) {
    throw new Error('TEMPORAL_ADDRESS and MONGODB_URL must be set (jest globalSetup starts both servers).');
  }
  ensureWebBuilt();
  const port = await getFreePort();
  const token = `e2e-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `evoscope-e2e-${name}-`));
  const db = uniqueDbName(name);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    EVOSCOPE_TOKEN: token,
    MONGODB_DB: db,
    EVOSCOPE_TASK_QUEUE: `q-${db}`,
    EVOSCOPE_DATA_DIR: logDir,
    ...envOverrides,
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const processes: ManagedProcess[] = [];
  let api: ManagedProcess | null = null;

  const spawnNode = (service: string, entry: string) =>
    spawnWithLog({
      name: service,
      command: process.execPath,
      args: [...nodeArgs, entry],
      cwd: root,
      env,
      logFile: path.join(logDir, `${service}.log`),
    });

  const startApi = async () => {
    api = spawnNode('api', 'api/main.ts');
    processes.push(api);
    if (options.waitForWorker === false)
      await waitForHttp(`${baseUrl}/api/chat/sessions`, { name: 'API', process: api, timeoutMs: 120_000, status: 401 });
    else await waitForHttp(`${baseUrl}/healthz`, { name: 'API', process: api, timeoutMs: 120_000 });
  };
  const stopApi = async () => {
    if (api) await stopProcess(api, 5000);
    api = null;
  };

  processes.push(spawnNode('worker', 'worker/main.ts'));
  try {
    await startApi();
  } catch (error) {
    await stopAll(processes, 3000);
    throw error;
  }

  return {
    baseUrl,
    token,
    consoleUrl: `${baseUrl}/?token=${token}`,
    logDir,
    dbName: env.MONGODB_DB!,
    async graphql<T>(query: string, variables: Record<string, unknown> = {}) {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
      return body.data as T;
    },
    async restartApi(downMs = 1500) {
      await stopApi();
      await new Promise((r) => setTimeout(r, downMs));
      await startApi();
    },
    stopApi,
    startApi,
    async stop() {
      const crashed = processes.filter((p) => !p.stopping && (p.child.exitCode !== null || p.child.signalCode !== null));
      await stopAll(
        processes.filter((p) => !p.stopping),
        5000,
      );
      for (const p of crashed) console.error(`${p.name} had stopped during the test; ${p.logFile}:\n${tailLog(p.logFile)}`);
    },
  };
}
