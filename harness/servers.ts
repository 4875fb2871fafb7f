/**
 * Real servers for the test suite and the benchmark: a Temporal dev server and FerretDB (on the embedded backend
 * that EVOSCOPE_DB_BACKEND chooses, with its PostgreSQL cluster when that is the backend) on
 * free ports with throw-away data, started once by jest's global setup (or by bench/run.ts). Test files reach them
 * through process.env (TEMPORAL_ADDRESS, MONGODB_URL, …), which jest workers inherit, and
 * isolate themselves with `uniqueDbName`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  dbBackendFrom,
  spawnPostgres,
  startFerret as startFerretOn,
  startPostgres,
  waitForPostgres,
  type DbBackend,
  type PostgresOptions,
} from '../scripts/lib/embeddedDatabase';
import { getFreePort, spawnWithLog, stopAll, tailLog, waitFor, waitForPort, type ManagedProcess } from '../scripts/lib/processes';

const root = path.resolve(__dirname, '..');
const TEMPORAL_CLI_PATH = path.join(root, '.tools/venv/bin/temporal');
export const TEMPORAL_TEST_SERVER_PATH = path.join(root, '.tools/venv/bin/temporal-test-server');
/** EVOSCOPE_FERRETDB_BIN: a FerretDB build of your own (e.g. while changing tools/ferretdb). */
const FERRETDB_PATH = process.env.EVOSCOPE_FERRETDB_BIN || path.join(root, '.tools/bin/ferretdb');

export interface TestServers {
  processes: ManagedProcess[];
  tmpDir?: string;
  /** The started Temporal dev server's Prometheus endpoint (bench/turnHistory.ts counts its requests there). */
  temporalMetricsUrl?: string;
}

/** A database name no other test file (or earlier run) uses: `prefix_<pid>_<time>_<rand>`. */
export function uniqueDbName(prefix: string): string {
  const clean = prefix.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 24);
  return `${clean}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

function requireFile(file: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing; run \`bash scripts/provision.sh\` first.`);
}

const execFileAsync = promisify(execFile);

async function startTemporal(tmpDir: string): Promise<{ process: ManagedProcess; address: string; metricsUrl: string }> {
  requireFile(TEMPORAL_CLI_PATH);
  const port = await getFreePort();
  const metricsPort = await getFreePort();
  const address = `127.0.0.1:${port}`;
  const p = spawnWithLog({
    name: 'temporal',
    command: TEMPORAL_CLI_PATH,
    args: [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--namespace',
      'default',
      '--metrics-port',
      String(metricsPort),
      '--db-filename',
      path.join(tmpDir, 't.db'),
      '--log-level',
      'error',
    ],
    logFile: path.join(tmpDir, 'temporal.log'),
  });
  await waitForPort('127.0.0.1', port, { name: 'Temporal dev server', process: p, timeoutMs: 90_000 });
  // The gRPC port can open a moment before the namespace is registered.
  await waitFor(
    'namespace "default" was described',
    async () => {
      try {
        await execFileAsync(
          TEMPORAL_CLI_PATH,
          ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', address],
          {
            timeout: 10_000,
          },
        );
        return true;
      } catch {
        return false;
      }
    },
    { name: 'Temporal dev server', process: p, timeoutMs: 60_000 },
  );
  return { process: p, address, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/**
 * FerretDB, and first its PostgreSQL cluster when that is the backend (both pushed to `started` as
 * they start). `throwaway`: skip PostgreSQL's flushes, which also loses the last commits if it crashes.
 * It sets no environment: the caller publishes what it started (startTestServers).
 */
export async function startDatabase(
  tmpDir: string,
  started: ManagedProcess[],
  throwaway = true,
  backend: DbBackend = dbBackendFrom(process.env),
): Promise<{ url: string; postgres?: PostgresOptions }> {
  requireFile(FERRETDB_PATH);
  let postgresUrl: string | undefined;
  let postgresOptions: PostgresOptions | undefined;
  if (backend === 'postgresql') {
    postgresOptions = {
      dataDir: path.join(tmpDir, 'postgres'),
      logFile: path.join(tmpDir, 'postgres.log'),
      socketDir: path.join(tmpDir, 'postgres-socket'),
      // A port no other server uses, so a test can tell that nothing listens on it over TCP.
      port: await getFreePort(),
      throwaway,
    };
    const postgres = await startPostgres(postgresOptions);
    started.push(postgres.process);
    postgresUrl = postgres.url;
  }
  const ferret = await startFerretOn({
    bin: FERRETDB_PATH,
    backend,
    port: await getFreePort(),
    logFile: path.join(tmpDir, 'ferretdb.log'),
    sqliteDir: path.join(tmpDir, 'ferretdb'),
    postgresUrl,
  });
  started.push(ferret.process);
  return { url: ferret.url, postgres: postgresOptions };
}

/**
 * A database of one test file's own, for a test that takes it down: FerretDB and, on the
 * PostgreSQL backend, its cluster. `outage` kills the storage process (PostgreSQL, or FerretDB
 * itself on SQLite) and starts it again on the same port and data, as a crash and a supervised
 * restart would; the other test files' database is not touched.
 */
export interface OwnDatabase {
  url: string;
  /** Kills the storage, waits `ms`, starts it again and resolves once it accepts connections. */
  outage(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnDatabase(tmpDir: string): Promise<OwnDatabase> {
  const processes: ManagedProcess[] = [];
  // Durable: a killed PostgreSQL that skipped its flushes forgets what it committed just before.
  const { url, postgres } = await startDatabase(tmpDir, processes, false);
  const restarted = async (stopped: ManagedProcess): Promise<ManagedProcess> => {
    if (!postgres) {
      const port = Number(new URL(url).port);
      const sqliteDir = path.join(tmpDir, 'ferretdb');
      return (await startFerretOn({ bin: FERRETDB_PATH, backend: 'sqlite', port, logFile: stopped.logFile, sqliteDir })).process;
    }
    const again = spawnPostgres(postgres);
    await waitForPostgres(postgres, again);
    return again;
  };
  return {
    url,
    async outage(ms) {
      const storage = processes[0];
      // Killed, as a crash would (a polite stop lets PostgreSQL serve its open connections until they close).
      storage.stopping = true;
      process.kill(-storage.child.pid!, 'SIGKILL');
      await storage.exited;
      await new Promise((resolve) => setTimeout(resolve, ms));
      processes[0] = await restarted(storage);
    },
    stop: () => stopAll(processes, 5000),
  };
}

/**
 * Starts what is not already given through the environment and writes the
 * addresses into process.env. If TEMPORAL_ADDRESS and MONGODB_URL are both
 * set, nothing is started.
 */
export async function startTestServers(): Promise<TestServers> {
  process.env.TEMPORAL_CLI_PATH ??= TEMPORAL_CLI_PATH;
  process.env.TEMPORAL_TEST_SERVER_PATH ??= TEMPORAL_TEST_SERVER_PATH;
  process.env.TEMPORAL_NAMESPACE ??= 'default';
  const needTemporal = !process.env.TEMPORAL_ADDRESS;
  const needMongo = !process.env.MONGODB_URL;
  if (!needTemporal && !needMongo) return { processes: [] };

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-test-'));
  fs.chmodSync(tmpDir, 0o755); // PostgreSQL may run as another user (embeddedDatabase.ts) and needs to reach its data directory
  const servers: TestServers = { processes: [], tmpDir };
  try {
    const [temporal, database] = await Promise.all([
      needTemporal ? startTemporal(tmpDir).then((t) => (servers.processes.push(t.process), t)) : undefined,
      needMongo ? startDatabase(tmpDir, servers.processes) : undefined,
    ]);
    if (temporal) {
      process.env.TEMPORAL_ADDRESS = temporal.address;
      servers.temporalMetricsUrl = temporal.metricsUrl;
    }
    if (database) process.env.MONGODB_URL = database.url;
    // The shared cluster's socket, for tests that check it is closed to everyone else (test/integration/localServices.test.ts).
    if (database?.postgres) process.env.EVOSCOPE_TEST_POSTGRES_SOCKET_DIR = database.postgres.socketDir;
  } catch (error) {
    await stopTestServers(servers, { keepLogs: true });
    throw error;
  }
  return servers;
}

export async function stopTestServers(servers: TestServers, options: { keepLogs?: boolean } = {}): Promise<void> {
  const crashed = servers.processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
  await stopAll(servers.processes, 5000);
  for (const p of crashed) {
    console.error(`\n${p.name} had stopped during the test run; last lines of ${p.logFile}:\n${tailLog(p.logFile)}`);
  }
  if (servers.tmpDir && !options.keepLogs && crashed.length === 0) {
    fs.rmSync(servers.tmpDir, { recursive: true, force: true });
  }
}
