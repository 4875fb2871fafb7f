import ivm from 'isolated-vm';
import { DEFAULT_SANDBOX_LIMITS, type SandboxFailed, type SandboxLimits, type SandboxResult } from './contract';
import { HarnessEnvelope, ISOLATE_HARNESS } from './isolateHarness';

export interface ComponentAction {
  code: string;
  /** Body of a trusted `function (component, args)` run inside the isolate; its return value is the output. */
  action: string;
  /** JSON text; the action receives it parsed, as `args`. */
  argsJson: string;
  limits: Required<SandboxLimits>;
}

// isolated-vm's own wording for the ways it stops runaway code.
const TIMEOUT_MESSAGE = 'Script execution timed out.';
// The allocator refusing an ArrayBuffer over the limit surfaces as this (uncaught) throw.
const ARRAY_BUFFER_REFUSED = 'RangeError: Array buffer allocation failed';
// isolated-vm's timeout should always answer first; this only covers the case
// where it never settles (see isolateHarness.ts), so the caller is not left waiting.
const BACKSTOP_GRACE_MS = 2000;
const STUCK = Symbol('stuck');

export function resolveLimits(limits: SandboxLimits = {}): Required<SandboxLimits> {
  const given = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  const resolved = { ...DEFAULT_SANDBOX_LIMITS, ...given };
  if (!(resolved.memoryMb >= 8)) throw new RangeError(`memoryMb must be at least 8, got ${resolved.memoryMb}`);
  if (!(resolved.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${resolved.timeoutMs}`);
  if (!(resolved.maxOutputBytes > 0)) throw new RangeError(`maxOutputBytes must be positive, got ${resolved.maxOutputBytes}`);
  return resolved;
}

/** Loads the component in a fresh isolate, applies the action, and always disposes the isolate. */
export async function evaluateInIsolate(call: ComponentAction): Promise<SandboxResult> {
  assertNodeSnapshotDisabled();
  const { limits } = call;
  const startedAt = performance.now();
  const elapsedMs = () => Math.round(performance.now() - startedAt);
  const fail = (failure: SandboxFailed['failure'], error: string): SandboxFailed => ({ ok: false, failure, error, durationMs: elapsedMs() });
  const timedOut = () => fail('timeout', `The component exceeded the ${limits.timeoutMs} ms time limit`);
  const outOfMemory = () => fail('memory', `The component exceeded the ${limits.memoryMb} MB memory limit`);

  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  let backstop: NodeJS.Timeout | undefined;
  try {
    const context = await isolate.createContext();
    const remainingMs = Math.max(1, Math.ceil(limits.timeoutMs - (performance.now() - startedAt)));
    const run = context.evalClosure(ISOLATE_HARNESS, [call.code, call.action, call.argsJson, limits.maxOutputBytes], {
      timeout: remainingMs,
    });
    const stuck = new Promise<typeof STUCK>((resolve) => {
      backstop = setTimeout(() => resolve(STUCK), remainingMs + BACKSTOP_GRACE_MS);
    });
    let raw: unknown;
    try {
      raw = await Promise.race([run, stuck]);
    } catch (error) {
      // isolated-vm disposes the isolate itself when the heap limit is hit.
      if (isolate.isDisposed) return outOfMemory();
      const message = errorMessage(error);
      if (message === TIMEOUT_MESSAGE) return timedOut();
      // The harness catches everything the component throws; what is left is
      // isolated-vm reporting an unhandled promise rejection inside the isolate.
      return fail('error', `The component left a failure behind: ${message.slice(0, 2000)}`);
    }
    if (raw === STUCK) {
      run.catch(() => undefined);
      return timedOut();
    }
    const result = fromEnvelope(raw, limits, elapsedMs());
    return !result.ok && result.error === ARRAY_BUFFER_REFUSED ? outOfMemory() : result;
  } finally {
    clearTimeout(backstop);
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
    return { ok: false, failure: 'output_too_large', error: `The output is ${bytes} bytes; the limit is ${limits.maxOutputBytes} bytes`, durationMs };
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

let snapshotChecked = false;

/** isolated-vm on Node 20+ is only supported with Node's startup snapshot disabled. */
function assertNodeSnapshotDisabled(): void {
  if (snapshotChecked) return;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.includes('--no-node-snapshot')) {
    throw new Error('The component sandbox needs Node started with --no-node-snapshot (e.g. NODE_OPTIONS=--no-node-snapshot)');
  }
  snapshotChecked = true;
}
