/**
 * The embedded database: FerretDB (tools/ferretdb) speaking the MongoDB wire protocol, stored in
 * SQLite files or in a project-owned PostgreSQL cluster that is started and stopped with it.
 * Shared by the dev stack (scripts/devStack.ts), the jest global setup (harness/servers.ts)
 * and the benchmark. `EVOSCOPE_DB_BACKEND` chooses; see README ("Known limits of the embedded database").
 *
 * The PostgreSQL cluster trusts whoever reaches it (its one user is a superuser, and a superuser
 * can run programs as the database's OS user), so nobody else may reach it: it listens on no TCP
 * address, only on a Unix socket in a directory of its own with mode 0700 (owned by the user the
 * server runs as), and FerretDB connects through that socket.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnWithLog, waitForPort, waitForSocket, type ManagedProcess } from './processes';

export const DB_BACKENDS = ['sqlite', 'postgresql'] as const;
export type DbBackend = (typeof DB_BACKENDS)[number];
const DEFAULT_DB_BACKEND: DbBackend = 'postgresql';

export const POSTGRES_BIN_DIR = process.env.EVOSCOPE_POSTGRES_BIN_DIR || '/usr/lib/postgresql/15/bin';
/** The cluster's superuser, trusted on its private socket (the only way in). */
const POSTGRES_USER = 'evoscope';
/** PostgreSQL refuses to run as root: as root we run it as this system user (Debian's package creates it). */
const POSTGRES_SYSTEM_USER = 'postgres';

export function dbBackendFrom(env: NodeJS.ProcessEnv): DbBackend {
  const chosen = env.EVOSCOPE_DB_BACKEND || DEFAULT_DB_BACKEND;
  if (!(DB_BACKENDS as readonly string[]).includes(chosen)) {
    throw new Error(`EVOSCOPE_DB_BACKEND must be one of ${DB_BACKENDS.join(', ')}, not "${chosen}"`);
  }
  return chosen as DbBackend;
}

const isRoot = () => process.getuid?.() === 0;

/** A PostgreSQL program, run as ourselves or (when we are root) as the postgres system user. */
function postgresCommand(program: string, args: string[]): { command: string; args: string[] } {
  const bin = path.join(POSTGRES_BIN_DIR, program);
  if (!fs.existsSync(bin))
    throw new Error(`${bin} is missing: install PostgreSQL 15 (Debian: postgresql-15) or set EVOSCOPE_POSTGRES_BIN_DIR`);
  return isRoot() ? { command: 'runuser', args: ['-u', POSTGRES_SYSTEM_USER, '--', bin, ...args] } : { command: bin, args };
}

/** Creates the cluster in `dataDir` unless it exists (once per data directory; a few seconds). */
export async function ensureCluster(dataDir: string, logFile: string): Promise<void> {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const { uid, gid } = await systemUser(POSTGRES_SYSTEM_USER);
    fs.chownSync(dataDir, uid, gid);
  }
  const { command, args } = postgresCommand('initdb', [
    '-D',
    dataDir,
    '-U',
    POSTGRES_USER,
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  try {
    const { stdout } = await promisify(execFile)(command, args, { timeout: 120_000 });
    fs.appendFileSync(logFile, stdout);
  } catch (err) {
    throw new Error(`initdb of ${dataDir} failed: ${(err as { stderr?: string }).stderr || String(err)}`);
  }
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const id = (flag: string) => promisify(execFile)('id', [flag, name]).then(({ stdout }) => Number(stdout.trim()));
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error(`running as root, PostgreSQL needs the unprivileged user "${name}" (Debian's postgresql package creates it)`);
  }
}

export interface PostgresOptions {
  dataDir: string;
  logFile: string;
  /** The private directory of the server's socket (made with mode 0700 by `ensureSocketDir`). */
  socketDir: string;
  /** Names the socket file (`.s.PGSQL.<port>`); no TCP port is opened. */
  port?: number;
  /** Test data: skip fsync (a machine crash may corrupt the cluster; the tests throw it away anyway). */
  throwaway?: boolean;
}

const DEFAULT_POSTGRES_PORT = 5432;
/** The socket file the server listens on (Unix socket paths are limited to ~107 bytes). */
const postgresSocketFile = (socketDir: string, port = DEFAULT_POSTGRES_PORT) => path.join(socketDir, `.s.PGSQL.${port}`);

/** pgx's URL for a server on a Unix socket: the host is the socket's directory. */
export const postgresUrlFor = (socketDir: string, port = DEFAULT_POSTGRES_PORT) =>
  `postgres://${POSTGRES_USER}@/postgres?host=${encodeURIComponent(socketDir)}&port=${port}`;

/** Linux's limit on a Unix socket's path (sun_path), less its terminating NUL. */
const MAX_SOCKET_PATH = 107;

/** The socket's directory, mode 0700 and owned by the user the server runs as: no other local user can connect. */
export async function ensureSocketDir(socketDir: string, port?: number): Promise<void> {
  const socketFile = postgresSocketFile(socketDir, port);
  if (Buffer.byteLength(socketFile) > MAX_SOCKET_PATH) {
    throw new Error(
      `${socketFile} is longer than a Unix socket path may be (${MAX_SOCKET_PATH} bytes): set EVOSCOPE_DATA_DIR to a shorter directory`,
    );
  }
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(socketDir, 0o700); // also when it existed (an older, looser one)
  if (isRoot()) {
    const { uid, gid } = await systemUser(POSTGRES_SYSTEM_USER);
    fs.chownSync(socketDir, uid, gid);
  }
}

/** Resolves once the server accepts connections on its socket. */
export const waitForPostgres = (options: Pick<PostgresOptions, 'socketDir' | 'port'>, p: ManagedProcess) =>
  waitForSocket(postgresSocketFile(options.socketDir, options.port), { name: 'PostgreSQL', process: p, timeoutMs: 60_000 });

/** The postgres server in the foreground (so it is our child, stopped with the rest); the cluster must exist (ensureCluster). */
export function spawnPostgres(options: PostgresOptions): ManagedProcess {
  const { command, args } = postgresCommand('postgres', [
    '-D',
    options.dataDir,
    '-p',
    String(options.port ?? DEFAULT_POSTGRES_PORT),
    '-c',
    'listen_addresses=',
    '-c',
    `unix_socket_directories=${options.socketDir}`,
    '-c',
    'unix_socket_permissions=0700',
    ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ]);
  return spawnWithLog({ name: 'postgres', command, args, logFile: options.logFile });
}

/** Creates the cluster and its socket directory if needed, starts it and resolves once it accepts connections. */
export async function startPostgres(options: PostgresOptions): Promise<{ process: ManagedProcess; url: string }> {
  await ensureCluster(options.dataDir, options.logFile);
  await ensureSocketDir(options.socketDir, options.port);
  const p = spawnPostgres(options);
  await waitForPostgres(options, p);
  return { process: p, url: postgresUrlFor(options.socketDir, options.port) };
}

/** FerretDB's storage flags for a backend. */
export function ferretStorageArgs(backend: DbBackend, sqliteDir: string, postgresUrl?: string): string[] {
  return backend === 'sqlite'
    ? ['-dir', sqliteDir] // the binary's default backend (and all a binary built before -backend understands)
    : ['-backend', 'postgresql', '-postgresql-url', postgresUrl ?? ''];
}

export interface FerretOptions {
  bin: string;
  backend: DbBackend;
  port: number;
  logFile: string;
  /** SQLite: the directory of its files. */
  sqliteDir: string;
  /** PostgreSQL: the URL of the running cluster (startPostgres). */
  postgresUrl?: string;
}

export async function startFerret(options: FerretOptions): Promise<{ process: ManagedProcess; url: string }> {
  const args = [
    '-listen',
    `127.0.0.1:${options.port}`,
    ...ferretStorageArgs(options.backend, options.sqliteDir, options.postgresUrl),
  ];
  const p = spawnWithLog({ name: 'ferretdb', command: options.bin, args, logFile: options.logFile });
  await waitForPort('127.0.0.1', options.port, { name: 'FerretDB', process: p, timeoutMs: 60_000 });
  return { process: p, url: `mongodb://127.0.0.1:${options.port}/?directConnection=true` };
}
