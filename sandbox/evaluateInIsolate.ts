import ivm from 'isolated-vm';
import type { ComponentAction } from './childMessages';
import type { SandboxFailed, SandboxLimits, SandboxResult } from './contract';
import { HarnessEnvelope, ISOLATE_HARNESS } from './isolateHarness';

// isolated-vm's own wording for the ways it stops runaway code.
const TIMEOUT_MESSAGE = 'Script execution timed out.';
// The allocator refusing an ArrayBuffer over the limit surfaces as this (uncaught) throw.
const ARRAY_BUFFER_REFUSED = 'RangeError: Array buffer allocation failed';

/**
 * Loads the component in a fresh isolate, applies the action, and disposes the isolate.
 * Runs only in a sandbox process (sandboxChild.ts): in the rare case where isolated-vm never
 * settles (see isolateHarness.ts), the worker's watchdog kills that process (sandboxProcess.ts).
 */
export async function evaluateInIsolate(call: ComponentAction): Promise<SandboxResult> {
  const { limits } = call;
  const startedAt = performance.now();
  const elapsedMs = () => Math.round(performance.now() - startedAt);
  const fail = (failure: SandboxFailed['failure'], error: string): SandboxFailed => ({
    ok: false,
    failure,
    error,
    durationMs: elapsedMs(),
  });
  const timedOut = () => fail('timeout', `The component exceeded the ${limits.timeoutMs} ms time limit`);
  const outOfMemory = () => fail('memory', `The component exceeded the ${limits.memoryMb} MB memory limit`);

  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  try {
    const context = await isolate.createContext();
    const remainingMs = Math.max(1, Math.ceil(limits.timeoutMs - (performance.now() - startedAt)));
    let raw: unknown;
    try {
      raw = await context.evalClosure(ISOLATE_HARNESS, [call.code, call.action, call.argsJson, limits.maxOutputBytes], {
        timeout: remainingMs,
      });
    } catch (error) {
      // isolated-vm disposes the isolate itself when the heap limit is hit.
      if (isolate.isDisposed) return outOfMemory();
      const message = errorMessage(error);
      if (message === TIMEOUT_MESSAGE) return timedOut();
      // The harness catches everything the component throws; what is left is
      // isolated-vm reporting an unhandled promise rejection inside the isolate.
      return fail('error', `The component left a failure behind: ${message.slice(0, 2000)}`);
    }
    const result = fromEnvelope(raw, limits, elapsedMs());
    return !result.ok && result.error === ARRAY_BUFFER_REFUSED ? outOfMemory() : result;
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}

function fromEnvelope(raw: unknown, limits: Required<SandboxLimits>, durationMs: number): SandboxResult {
  const envelope = HarnessEnvelope.safeParse(parseJsonText(raw));
  if (!envelope.success) return { ok: false, failure: 'error', error: 'The sandbox returned an unreadable answer', durationMs };
  const answer = envelope.data;
  if (!answer.ok) return { ...answer, durationMs };
  // The isolate compared UTF-16 length; multi-byte characters can still exceed the byte limit.
  const bytes = Buffer.byteLength(JSON.stringify(answer.output), 'utf8');
  if (bytes > limits.maxOutputBytes) {
    return {
      ok: false,
      failure: 'output_too_large',
      error: `The output is ${bytes} bytes; the limit is ${limits.maxOutputBytes} bytes`,
      durationMs,
    };
  }
  return { ok: true, output: answer.output, durationMs };
}

/** isolated-vm's errors come from Node's main realm; `instanceof Error` fails under realms such as Jest's. */
function errorMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : '';
}

function parseJsonText(raw: unknown): unknown {
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
