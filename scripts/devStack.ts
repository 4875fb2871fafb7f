/**
 * `npm start`: runs the whole local stack as supervised children of this
 * process — Temporal dev server and FerretDB (unless TEMPORAL_ADDRESS /
 * MONGODB_URL point elsewhere), then the worker and the API. A child that dies
 * is restarted with backoff (scripts/lib/supervisor.ts); Ctrl-C or SIGTERM
 * stops all of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { canConnect, spawnWithLog, waitFor, waitForHttp, waitForLogLine, waitForPort } from './lib/processes';
import {
  dbBackendFrom,
  ensureCluster,
  ensureSocketDir,
  ferretStorageArgs,
  postgresUrlFor,
  spawnPostgres,
  waitForPostgres,
} from './lib/embeddedDatabase';
import { spawnLocalModelServer, waitForLocalModelServer } from './lib/localModel';
import { createSupervisor, type ServiceSpec } from './lib/supervisor';

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(process.env.EVOSCOPE_DATA_DIR || path.join(root, '.evoscope'));
const logDir = path.join(dataDir, 'logs');
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 4000);
const temporalBin = path.join(root, '.tools/venv/bin/temporal');
const ferretBin = path.join(root, '.tools/bin/ferretdb');
const nodeArgs = ['--no-node-snapshot', '--import', 'tsx'];

// The defaults are what README documents; the supervisor test runs a second stack beside others.
const TEMPORAL_PORT = Number(process.env.EVOSCOPE_TEMPORAL_PORT || 7233);
const TEMPORAL_UI_PORT = Number(process.env.EVOSCOPE_TEMPORAL_UI_PORT || 8233);
const FERRET_PORT = Number(process.env.EVOSCOPE_FERRETDB_PORT || 27017);
const LOCAL_MODEL_PORT = Number(process.env.LOCAL_MODEL_PORT || 8740);
const statusFile = path.join(dataDir, 'supervisor.json');

let shuttingDown = false;
const supervisor = createSupervisor({
  statusFile,
  onGiveUp: (reason) => void shutdown(reason, 1),
});

function logFile(name: string): string {
  return path.join(logDir, `${name}.log`);
}

async function shutdown(reason: string, exitCode: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    console.log(`\n${reason} — stopping ${supervisor.names().join(', ') || 'nothing'}…`);
    await supervisor.stopAll(5000);
  }
  process.exit(exitCode);
}

function requireBinary(file: string, hint: string): void {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing. ${hint}`);
}

/** Otherwise waitForPort would happily accept somebody else's server on that port. */
async function requireFreePort(port: number, service: string, envVar: string): Promise<void> {
  if (await canConnect('127.0.0.1', port)) {
    throw new Error(
      `Port ${port} is already in use, so ${service} cannot start. Stop whatever listens there, or set ${envVar} to use it.`,
    );
  }
}

async function startTemporal(): Promise<string> {
  requireBinary(temporalBin, 'Run `bash scripts/provision.sh` first.');
  await requireFreePort(TEMPORAL_PORT, 'the Temporal dev server', 'TEMPORAL_ADDRESS');
  await supervisor.start({
    name: 'temporal',
    spawn: () =>
      spawnWithLog({
        name: 'temporal',
        command: temporalBin,
        args: [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(TEMPORAL_PORT),
          '--ui-port',
          String(TEMPORAL_UI_PORT),
          '--db-filename',
          path.join(dataDir, 'temporal.db'),
          '--namespace',
          'default',
          '--log-level',
          'warn',
        ],
        logFile: logFile('temporal'),
      }),
    ready: (p) => waitForPort('127.0.0.1', TEMPORAL_PORT, { name: 'Temporal dev server', process: p, timeoutMs: 90_000 }),
  });
  return `127.0.0.1:${TEMPORAL_PORT}`;
}

/** FerretDB on the chosen embedded backend; with PostgreSQL, its cluster in .evoscope/postgres first (reached through its private socket). */
async function startFerret(): Promise<string> {
  requireBinary(ferretBin, 'Run `bash scripts/provision.sh` first (it builds FerretDB from tools/ferretdb).');
  await requireFreePort(FERRET_PORT, 'FerretDB', 'MONGODB_URL');
  // With PostgreSQL, its cluster in .evoscope/postgres first, supervised like the rest.
  const backend = dbBackendFrom(process.env);
  let postgresUrl: string | undefined;
  if (backend === 'postgresql') {
    // No TCP port: its socket in a private directory is the only way in (scripts/lib/embeddedDatabase.ts).
    const pg = {
      dataDir: path.join(dataDir, 'postgres'),
      logFile: logFile('postgres'),
      socketDir: path.join(dataDir, 'postgres-socket'),
    };
    await ensureCluster(pg.dataDir, pg.logFile);
    await ensureSocketDir(pg.socketDir);
    await supervisor.start({
      name: 'postgres',
      spawn: () => spawnPostgres(pg),
      ready: (p) => waitForPostgres(pg, p),
    });
    postgresUrl = postgresUrlFor(pg.socketDir);
  }
  await supervisor.start({
    name: 'ferretdb',
    spawn: () =>
      spawnWithLog({
        name: 'ferretdb',
        command: ferretBin,
        args: ['-listen', `127.0.0.1:${FERRET_PORT}`, ...ferretStorageArgs(backend, path.join(dataDir, 'ferretdb'), postgresUrl)],
        logFile: logFile('ferretdb'),
      }),
    ready: (p) => waitForPort('127.0.0.1', FERRET_PORT, { name: 'FerretDB', process: p, timeoutMs: 60_000 }),
  });
  return `mongodb://127.0.0.1:${FERRET_PORT}/?directConnection=true`;
}

/** EVOSCOPE_LOCAL_MODEL=1: the embedded local model, and the model settings pointed at it (unless a person stored others in the console). */
async function startLocalModel(): Promise<NodeJS.ProcessEnv> {
  await requireFreePort(LOCAL_MODEL_PORT, 'the local model server', 'LOCAL_MODEL_PORT');
  const server = spawnLocalModelServer({ port: LOCAL_MODEL_PORT, logFile: logFile('local-model'), echo: true });
  await supervisor.start({
    name: 'local-model',
    spawn: () => server.spawn(),
    ready: (p) => waitForLocalModelServer(server, p),
  });
  return { LLM_BASE_URL: server.baseUrl, LLM_MODEL: server.modelId, LLM_API_KEY: '' };
}

/** The worker and the API: this checkout's entry points, run by tsx. */
function nodeService(name: string, entry: string, env: NodeJS.ProcessEnv, ready: ServiceSpec['ready']): ServiceSpec {
  requireBinary(path.join(root, entry), `The ${name} entry point has not been written yet.`);
  return {
    name,
    spawn: () =>
      spawnWithLog({
        name,
        command: process.execPath,
        args: [...nodeArgs, entry],
        cwd: root,
        env,
        logFile: logFile(name),
        echo: true,
      }),
    ready,
  };
}

function readToken(): string | undefined {
  if (process.env.EVOSCOPE_TOKEN) return process.env.EVOSCOPE_TOKEN;
  try {
    return fs.readFileSync(path.join(dataDir, 'token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown('SIGINT', 130));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 143));
  fs.mkdirSync(logDir, { recursive: true });

  const [temporalAddress, mongoUrl, modelEnv] = await Promise.all([
    process.env.TEMPORAL_ADDRESS || startTemporal(),
    process.env.MONGODB_URL || startFerret(),
    process.env.EVOSCOPE_LOCAL_MODEL === '1' ? startLocalModel() : {},
  ]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...modelEnv,
    TEMPORAL_ADDRESS: temporalAddress,
    MONGODB_URL: mongoUrl,
    HOST: host,
    PORT: String(port),
    EVOSCOPE_DATA_DIR: dataDir,
    EVOSCOPE_SUPERVISOR_STATUS: statusFile,
  };
  const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  // The worker is ready once it says it polls (worker/main.ts); the API once it answers.
  const worker = supervisor.start(
    nodeService('worker', 'worker/main.ts', env, (p) =>
      waitForLogLine(p, /worker polling task queue/, { name: 'worker', process: p, timeoutMs: 120_000 }),
    ),
  );
  const api = await supervisor.start(
    nodeService('api', 'api/main.ts', env, (p) =>
      waitForHttp(`${base}/api/chat/sessions`, { name: 'API', process: p, timeoutMs: 120_000, status: 401 }),
    ),
  );
  await worker;
  await waitForHttp(`${base}/healthz`, { name: 'API', process: api, timeoutMs: 120_000 });

  // The API writes .evoscope/token on its first start, so read it only now.
  let token = readToken();
  if (!token) {
    await waitFor('the API wrote its token file', () => Promise.resolve(Boolean(readToken())), {
      name: 'API',
      process: api,
      timeoutMs: 10_000,
    });
    token = readToken();
  }
  console.log(
    [
      '',
      'Evoscope is running.',
      `  Console:     ${base}/?token=${token}`,
      `  GraphiQL:    ${base}/graphql`,
      `  Temporal UI: ${process.env.TEMPORAL_UI_URL || `http://127.0.0.1:${TEMPORAL_UI_PORT}`}`,
      ...(env.EVOSCOPE_LOCAL_MODEL === '1' ? [`  Local model: ${env.LLM_BASE_URL} (${env.LLM_MODEL})`] : []),
      `  Logs:        ${logDir}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void shutdown('Start-up failed', 1);
});
