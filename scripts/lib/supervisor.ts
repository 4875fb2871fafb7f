/**
 * Keeps `npm start`'s children running. A service that exits without being asked to is started
 * again after an exponential backoff (0.5 s, 1 s, 2 s … capped at 30 s; the count starts over once
 * a run has stayed up for a minute). Each restart is logged and recorded in a status file
 * (domain/supervisorStatus.ts) that the API shows on /healthz, with the times of the recent ones
 * (health calls a service restarted often in a short while crash-looping). A service that fails to come back
 * MAX_FAILED_STARTS times in a row ends the stack, loudly: something outside it is wrong.
 *
 * Generic over services: a service is a name, how to spawn one run of it, and how to tell that
 * run is ready. Stopping (Ctrl-C) stops the current runs in reverse start order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { restartsInWindow, type SupervisedService, type SupervisorStatus } from '../../domain/supervisorStatus';
import { stopProcess, type ManagedProcess } from './processes';

export interface ServiceSpec {
  name: string;
  /** Spawns one run of the service. */
  spawn(): ManagedProcess;
  /** Resolves once that run is usable; rejects if it exits first or takes too long. */
  ready(run: ManagedProcess): Promise<void>;
}

export interface SupervisorOptions {
  /** Where the status file goes (the children find it through EVOSCOPE_SUPERVISOR_STATUS). */
  statusFile: string;
  /** Called when a service cannot be brought back; the caller stops the stack. */
  onGiveUp(reason: string): void;
  log?: (line: string) => void;
  /** First backoff; doubled per consecutive failure. */
  baseDelayMs?: number;
}

const MAX_DELAY_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
const MAX_FAILED_STARTS = 8;

interface Supervised {
  spec: ServiceSpec;
  run: ManagedProcess | null;
  status: SupervisedService;
  /** Consecutive runs that died young or never became ready. */
  failures: number;
}

export function restartDelayMs(failures: number, baseDelayMs = 500): number {
  return Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** Math.max(0, failures - 1));
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/**
 * A run's leader is gone but the process group we created for it (detached: true) may still hold
 * its children (the worker's sandbox processes); they must not outlive it into the next run.
 */
function killLeftovers(run: ManagedProcess): void {
  if (run.child.pid === undefined) return;
  try {
    process.kill(-run.child.pid, 'SIGKILL');
  } catch {
    // Nothing left in the group.
  }
}

export function createSupervisor(options: SupervisorOptions) {
  const log = options.log ?? ((line: string) => console.log(`[supervisor] ${line}`));
  const services = new Map<string, Supervised>();
  let stopping = false;

  function writeStatus(): void {
    const status: SupervisorStatus = {
      v: 1,
      supervisor_pid: process.pid,
      updated_at: new Date().toISOString(),
      services: Object.fromEntries([...services].map(([name, s]) => [name, s.status])),
    };
    // Written whole and renamed into place, so a reader never sees half a file.
    const tmp = `${options.statusFile}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(options.statusFile), { recursive: true });
    fs.writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`);
    fs.renameSync(tmp, options.statusFile);
  }

  function update(s: Supervised, patch: Partial<SupervisedService>): void {
    s.status = { ...s.status, ...patch };
    writeStatus();
  }

  /** Spawns a run and waits until it is ready; on failure the run is stopped and the error rethrown. */
  async function launch(s: Supervised): Promise<ManagedProcess> {
    const run = s.spec.spawn();
    s.run = run;
    update(s, { pid: run.child.pid ?? null });
    try {
      await s.spec.ready(run);
    } catch (error) {
      await stopProcess(run, 3000);
      killLeftovers(run);
      throw error;
    }
    if (stopping) return run;
    update(s, { state: 'running' });
    watch(s, run, Date.now());
    return run;
  }

  function watch(s: Supervised, run: ManagedProcess, readyAt: number): void {
    void run.exited.then(async (exit) => {
      if (run.stopping || stopping) return;
      killLeftovers(run);
      if (Date.now() - readyAt >= STABLE_AFTER_MS) s.failures = 0;
      s.failures += 1;
      update(s, { state: 'restarting', pid: null, last_exit: describeExit(exit) });
      await restart(s, describeExit(exit));
    });
  }

  async function restart(s: Supervised, why: string): Promise<void> {
    while (!stopping) {
      if (s.failures > MAX_FAILED_STARTS) {
        options.onGiveUp(
          `${s.spec.name} could not be kept running (${why}, ${MAX_FAILED_STARTS} failed restarts in a row); see ${s.run?.logFile}`,
        );
        return;
      }
      const delay = restartDelayMs(s.failures, options.baseDelayMs);
      log(
        `${s.spec.name} stopped unexpectedly (${why}); restarting in ${(delay / 1000).toFixed(1)} s (restart ${s.status.restarts + 1})`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping) return;
      const at = new Date().toISOString();
      // Only the restarts the crash-loop window still counts (domain/supervisorStatus.ts): the file stays small.
      const recent_restarts = [...restartsInWindow(s.status, Date.now()), at];
      update(s, { restarts: s.status.restarts + 1, last_restart_at: at, recent_restarts });
      try {
        await launch(s);
        log(`${s.spec.name} is back (pid ${s.run?.child.pid}, restart ${s.status.restarts})`);
        return;
      } catch (error) {
        s.failures += 1;
        why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      }
    }
  }

  return {
    /** Starts a service, waits until it is ready, and keeps it running from then on. */
    async start(spec: ServiceSpec): Promise<ManagedProcess> {
      if (services.has(spec.name)) throw new Error(`service ${spec.name} is already supervised`);
      const s: Supervised = {
        spec,
        run: null,
        failures: 0,
        status: { state: 'starting', pid: null, restarts: 0, last_restart_at: null, last_exit: null },
      };
      services.set(spec.name, s);
      return launch(s);
    },
    /** The current run of a service; a new one after each restart. */
    current(name: string): ManagedProcess | null {
      return services.get(name)?.run ?? null;
    },
    names(): string[] {
      return [...services.keys()];
    },
    /** Stops every current run, the last started first (dependents before their dependencies). */
    async stopAll(graceMs = 5000): Promise<void> {
      stopping = true;
      const all = [...services.values()];
      for (const s of all) if (s.run) s.run.stopping = true;
      for (const s of all.reverse()) {
        if (s.run) await stopProcess(s.run, graceMs);
        s.status = { ...s.status, state: 'stopped', pid: null };
      }
      writeStatus();
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
