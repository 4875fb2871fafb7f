import { FromSandboxProcess, ToSandboxProcess } from './childMessages';
import type { SandboxResult } from './contract';
import { evaluateInIsolate } from './evaluateInIsolate';

/**
 * Entry point of a sandbox process (started by sandboxProcess.ts): evaluates one action per
 * message in isolated-vm and answers with the result. isolated-vm runs only here, so a
 * native crash or a leaked isolate thread ends with this process, never the worker.
 */

const send = (message: FromSandboxProcess) => process.send!(FromSandboxProcess.parse(message));

async function answer(raw: unknown): Promise<void> {
  // A malformed request is a bug in the worker: fail loudly; the worker reports the exit.
  const { id, call } = ToSandboxProcess.parse(raw);
  const result: SandboxResult = await evaluateInIsolate(call).catch((error: unknown) => ({
    ok: false,
    failure: 'error',
    error: `The sandbox failed: ${error instanceof Error ? error.message : String(error)}`,
    durationMs: 0,
  }));
  send({ type: 'answer', id, result, rssBytes: process.memoryUsage.rss() });
}

process.on('message', (raw) => void answer(raw));
// The worker is gone (it exited, crashed or was killed): there is nobody left to answer.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
