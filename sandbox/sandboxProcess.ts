import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { FromSandboxProcess, type ComponentAction, type ToSandboxProcess } from './childMessages';
import type { SandboxFailed, SandboxResult } from './contract';

const CHILD_ENTRY = path.join(__dirname, 'sandboxChild.ts');
// isolated-vm on Node 20+ needs the startup snapshot off; tsx runs the TypeScript entry
// whatever runs this process (tsx in the worker, @swc/jest in tests, which children do not inherit).
const CHILD_EXEC_ARGV = ['--no-node-snapshot', '--import', pathToFileURL(require.resolve('tsx')).href];
const START_TIMEOUT_MS = 30_000;
// isolated-vm's own timeout should always answer first. This covers the case where it never
// settles (an unhandled in-isolate rejection whose `message` getter loops, see isolateHarness.ts):
// the process is killed, which also ends the native thread spinning on that getter.
const WATCHDOG_GRACE_MS = 2000;

type Received = { kind: 'message'; message: FromSandboxProcess } | { kind: 'unreadable' } | { kind: 'exit' } | { kind: 'late' };

/** One child process running isolates, one call at a time. */
export class SandboxProcess {
  /** Calls answered so far. */
  calls = 0;
  /** Resident memory reported with the last answer. */
  rssBytes = 0;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  /** How the process ended, once it has. */
  private exit: string | undefined;
  /** The pending `receive`, told when the process ends. */
  private onExit: (() => void) | undefined;

  private constructor() {
    this.child = fork(CHILD_ENTRY, [], { execArgv: CHILD_EXEC_ARGV });
    this.exited = new Promise((resolve) => {
      const ended = (how: string) => {
        this.exit ??= how;
        this.onExit?.();
        resolve();
      };
      this.child.once('exit', (code, signal) => ended(signal ? `signal ${signal}` : `exit code ${code}`));
      // Other errors (a failed kill or send) are answered where they happen.
      this.child.on('error', (error) => this.child.pid === undefined && ended(`could not start (${error.message})`));
    });
    // An idle sandbox process must not keep the worker (or jest) alive; a call in flight
    // holds the event loop through its timer.
    this.child.unref();
    this.child.channel?.unref();
  }

  /** Starts a process and waits until it listens. Throws when it cannot start. */
  static async start(): Promise<SandboxProcess> {
    const started = new SandboxProcess();
    const first = await started.receive(START_TIMEOUT_MS);
    if (first.kind === 'message' && first.message.type === 'ready') return started;
    await started.kill();
    throw new Error(
      `The sandbox process did not start: ${first.kind === 'late' ? `no answer within ${START_TIMEOUT_MS} ms` : started.exit}`,
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Evaluates one action. Never rejects: a process that dies or hangs answers as a failed call. */
  async run(call: ComponentAction): Promise<SandboxResult> {
    const sentAt = performance.now();
    const fail = (failure: SandboxFailed['failure'], error: string): SandboxFailed => ({
      ok: false,
      failure,
      error,
      durationMs: Math.round(performance.now() - sentAt),
    });
    const id = ++this.calls;
    const request: ToSandboxProcess = { id, call };
    const received = this.receive(call.limits.timeoutMs + WATCHDOG_GRACE_MS);
    this.child.send(request, (error) => error && void this.kill());
    const answer = await received;
    if (answer.kind === 'message' && answer.message.type === 'answer' && answer.message.id === id) {
      this.rssBytes = answer.message.rssBytes;
      return answer.message.result;
    }
    if (answer.kind === 'late') {
      await this.kill();
      return fail('timeout', `The component exceeded the ${call.limits.timeoutMs} ms time limit`);
    }
    if (answer.kind === 'exit') return fail('error', `The sandbox process died: ${this.exit}`);
    await this.kill();
    return fail('error', 'The sandbox process sent an unreadable answer');
  }

  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void> {
    if (this.alive) {
      // Whoever awaits the exit keeps this process alive until it comes.
      this.child.ref();
      this.child.kill('SIGKILL');
    }
    return this.exited;
  }

  /** The next message, the exit, or `late` after `withinMs`, whichever comes first. */
  private receive(withinMs: number): Promise<Received> {
    if (!this.alive) return Promise.resolve({ kind: 'exit' });
    return new Promise((resolve) => {
      const done = (received: Received) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.onExit = undefined;
        resolve(received);
      };
      const onMessage = (raw: unknown) => {
        const parsed = FromSandboxProcess.safeParse(raw);
        done(parsed.success ? { kind: 'message', message: parsed.data } : { kind: 'unreadable' });
      };
      const timer = setTimeout(() => done({ kind: 'late' }), withinMs);
      this.child.on('message', onMessage);
      this.onExit = () => done({ kind: 'exit' });
    });
  }
}
