/**
 * Child-process management shared by the dev stack (scripts/devStack.ts) and
 * the jest global setup (harness/servers.ts): spawn a service with its
 * output in a log file, wait until it is usable, and stop everything we
 * started — and only that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Where this run's output starts in the log file (runs of one service share the file). */
  logOffset: number;
  /** Resolves when the child has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once stopAll (or stopProcess) has been asked to stop it, so its exit is expected. */
  stopping: boolean;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also copy the output, each line prefixed with `[name]`, to our stdout. */
  echo?: boolean;
}

const started = new Set<ManagedProcess>();

export function spawnWithLog(options: SpawnOptions): ManagedProcess {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logOffset = fs.existsSync(options.logFile) ? fs.statSync(options.logFile).size : 0;
  const header = `\n=== ${new Date().toISOString()} ${options.command} ${options.args.join(' ')}\n`;
  fs.appendFileSync(options.logFile, header);

  // Without echo the child writes straight into the log file, so its output
  // never depends on our event loop draining a pipe.
  const logFd = options.echo ? undefined : fs.openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // Own process group: a terminal Ctrl-C reaches only us, and we stop the
    // children in order (and their own children with them).
    detached: true,
    stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
  });
  if (logFd !== undefined) fs.closeSync(logFd);

  if (options.echo) {
    const log = fs.createWriteStream(options.logFile, { flags: 'a' });
    const prefix = `[${options.name}] `;
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.on('data', (chunk: Buffer) => {
        log.write(chunk);
        const lines = (pending + chunk.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(prefix + line + '\n');
      });
      stream?.on('end', () => {
        if (pending) process.stdout.write(prefix + pending + '\n');
        pending = '';
      });
    }
    child.on('close', () => log.end());
  }

  const managed: ManagedProcess = {
    name: options.name,
    child,
    logFile: options.logFile,
    logOffset,
    stopping: false,
    exited: new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        started.delete(managed);
        resolve({ code, signal });
      });
      child.on('error', (error) => {
        fs.appendFileSync(options.logFile, `spawn failed: ${error.message}\n`);
        started.delete(managed);
        resolve({ code: 127, signal: null });
      });
    }),
  };
  started.add(managed);
  return managed;
}

/** Last lines of a log file, for error messages. */
export function tailLog(logFile: string, lines = 15): string {
  try {
    return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface WaitOptions {
  /** Service name used in the error message. */
  name: string;
  timeoutMs?: number;
  /** If this process exits while we wait, fail at once instead of timing out. */
  process?: ManagedProcess;
}

async function waitUntil(what: string, check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void options.process?.exited.then((e) => (exit = e));
  const where = options.process ? ` See ${options.process.logFile}:\n${'-'.repeat(40)}\n` : '';
  for (;;) {
    if (await check()) return;
    if (exit) {
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      throw new Error(
        `${options.name} exited (${how}) before ${what}.${where}${options.process ? tailLog(options.process.logFile) : ''}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${options.name}: ${what} did not happen within ${Math.round(timeoutMs / 1000)} s.${where}${options.process ? tailLog(options.process.logFile) : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const canConnect = (host: string, port: number): Promise<boolean> => canConnectTo({ host, port });

/** Whether a TCP address or a Unix socket (`{ path }`) accepts a connection now. */
function canConnectTo(address: net.NetConnectOpts): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function waitForPort(host: string, port: number, options: WaitOptions): Promise<void> {
  return waitUntil(`${host}:${port} accepted TCP connections`, () => canConnect(host, port), options);
}

export function waitForSocket(socketFile: string, options: WaitOptions): Promise<void> {
  return waitUntil(`${socketFile} accepted connections`, () => canConnectTo({ path: socketFile }), options);
}

export function waitForHttp(url: string, options: WaitOptions & { status?: number }): Promise<void> {
  const status = options.status ?? 200;
  return waitUntil(
    `GET ${url} answered ${status}`,
    async () => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
        await res.body?.cancel();
        return res.status === status;
      } catch {
        return false;
      }
    },
    options,
  );
}

/** Waits until this run of `process` has written a line matching `pattern` to its log. */
export function waitForLogLine(p: ManagedProcess, pattern: RegExp, options: WaitOptions): Promise<void> {
  return waitUntil(
    `its log showed ${pattern}`,
    async () => {
      const handle = await fs.promises.open(p.logFile, 'r');
      try {
        const { size } = await handle.stat();
        const { buffer, bytesRead } = await handle.read(
          Buffer.alloc(Math.max(0, size - p.logOffset)),
          0,
          Math.max(0, size - p.logOffset),
          p.logOffset,
        );
        return pattern.test(buffer.subarray(0, bytesRead).toString('utf8'));
      } finally {
        await handle.close();
      }
    },
    options,
  );
}

/** Waits for an arbitrary readiness check (e.g. a CLI probe) with the same failure reporting. */
export function waitFor(what: string, check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  return waitUntil(what, check, options);
}

/** A port the OS says is free right now (small race with other starters; acceptable for dev and tests). */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function signalGroup(p: ManagedProcess, signal: NodeJS.Signals): void {
  if (p.child.pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  try {
    process.kill(-p.child.pid, signal); // the whole group we created with detached: true
  } catch {
    try {
      p.child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopProcess(p: ManagedProcess, graceMs = 5000): Promise<void> {
  p.stopping = true;
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  signalGroup(p, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(p, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([p.exited, killed]);
  clearTimeout(timer);
  await p.exited;
}

/** Stops the given processes in reverse start order (dependents before their dependencies). */
export async function stopAll(processes: ManagedProcess[], graceMs = 5000): Promise<void> {
  for (const p of processes) p.stopping = true;
  for (const p of [...processes].reverse()) await stopProcess(p, graceMs);
}

// Last resort: if our process exits without stopping its children (a crash,
// an uncaught error), do not leave servers running in their own groups.
process.once('exit', () => {
  for (const p of started) signalGroup(p, 'SIGKILL');
});
