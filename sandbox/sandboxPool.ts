import os from 'node:os';
import type { ComponentAction } from './childMessages';
import type { SandboxResult } from './contract';
import { SandboxProcess } from './sandboxProcess';

export interface SandboxPoolOptions {
  /** Sandbox processes running at once; calls beyond that wait their turn. */
  size?: number;
  /** A process is replaced after this many calls, so slow leaks do not accumulate. */
  maxCallsPerProcess?: number;
  /** A process whose resident memory exceeds this after a call is replaced. */
  maxRssBytes?: number;
}

const DEFAULTS: Required<SandboxPoolOptions> = {
  size: Math.min(2, os.availableParallelism()),
  maxCallsPerProcess: 2000,
  maxRssBytes: 512 * 1024 * 1024,
};

/**
 * A few child processes that run isolates for the worker, started when first needed. A
 * process that died, was killed by a call's watchdog, or has served its calls or memory is
 * dropped, and the next call starts a fresh one.
 */
export class SandboxPool {
  private readonly options: Required<SandboxPoolOptions>;
  private readonly idle: SandboxProcess[] = [];
  private readonly busy = new Set<SandboxProcess>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(options: SandboxPoolOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  async run(call: ComponentAction): Promise<SandboxResult> {
    await this.takeTurn();
    try {
      const child = this.takeIdle() ?? (await SandboxProcess.start());
      this.busy.add(child);
      const result = await child.run(call);
      this.busy.delete(child);
      if (this.reusable(child)) this.idle.push(child);
      else void child.kill();
      return result;
    } finally {
      this.endTurn();
    }
  }

  /** The live processes, for tests that kill one. */
  processes(): Array<{ pid: number | undefined; busy: boolean }> {
    return [...this.idle.map((p) => ({ pid: p.pid, busy: false })), ...[...this.busy].map((p) => ({ pid: p.pid, busy: true }))];
  }

  /** Kills every process (calls in flight answer as failed); a later call starts new ones. */
  async close(): Promise<void> {
    const all = [...this.idle.splice(0), ...this.busy];
    await Promise.all(all.map((p) => p.kill()));
  }

  private reusable(child: SandboxProcess): boolean {
    return child.alive && child.calls < this.options.maxCallsPerProcess && child.rssBytes <= this.options.maxRssBytes;
  }

  private takeIdle(): SandboxProcess | undefined {
    for (let next = this.idle.pop(); next; next = this.idle.pop()) if (next.alive) return next;
    return undefined;
  }

  private async takeTurn(): Promise<void> {
    if (this.running < this.options.size) {
      this.running++;
      return;
    }
    // The turn is handed over by endTurn, so `running` stays as it is.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private endTurn(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** The worker's pool; runInSandbox and readComponentManifest run through it. */
export const sandboxPool = new SandboxPool();
