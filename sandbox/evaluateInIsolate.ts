import ivm from 'isolated-vm';
import { DEFAULT_SANDBOX_LIMITS, type SandboxFailed, type SandboxFailure, type SandboxLimits } from './contract';

/**
 * One isolate per call: evaluate a component file, check that it defines
 * `component.run`, then run a harness closure against it. The harness may only
 * return a string or a number, so nothing but primitives crosses back to the host.
 */
export interface HarnessCall {
  code: string;
  /** Body of a function evaluated next to the component; arguments arrive as $0, $1, ... */
  harness: string;
  args: Array<string | number>;
  limits: Required<SandboxLimits>;
}

export type HarnessOutcome = { ok: true; value: string | number; durationMs: number } | SandboxFailed;

const COMPONENT_FILENAME = 'file:///component.js';
// isolated-vm's own wording for the two ways it stops runaway code.
const TIMEOUT_MESSAGE = 'Script execution timed out.';
const ARRAY_BUFFER_LIMIT_MESSAGE = 'Array buffer allocation failed';
// A candidate can throw a multi-megabyte message; the caller only needs its start.
const MAX_ERROR_CHARS = 2000;

const IS_COMPONENT = `return typeof component === 'object' && component !== null && typeof component.run === 'function';`;

// WebAssembly.Memory is allocated outside the heap limit (gigabytes are
// possible), and components have no use for WebAssembly.
const HARDEN_GLOBALS = 'delete globalThis.WebAssembly;';

export function resolveLimits(limits: SandboxLimits = {}): Required<SandboxLimits> {
  const resolved = { ...DEFAULT_SANDBOX_LIMITS, ...withoutUndefined(limits) };
  if (!(resolved.memoryMb >= 8)) throw new RangeError(`memoryMb must be at least 8, got ${resolved.memoryMb}`);
  if (!(resolved.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${resolved.timeoutMs}`);
  if (!(resolved.maxOutputBytes > 0)) throw new RangeError(`maxOutputBytes must be positive, got ${resolved.maxOutputBytes}`);
  return resolved;
}

export async function evaluateInIsolate(call: HarnessCall): Promise<HarnessOutcome> {
  assertNodeSnapshotDisabled();
  const startedAt = performance.now();
  const deadline = startedAt + call.limits.timeoutMs;
  const remainingMs = () => Math.max(1, Math.ceil(deadline - performance.now()));
  const elapsedMs = () => Math.round(performance.now() - startedAt);
  const fail = (failure: SandboxFailure, error: string): SandboxFailed => ({ ok: false, failure, error, durationMs: elapsedMs() });

  const isolate = new ivm.Isolate({ memoryLimit: call.limits.memoryMb });
  try {
    const context = await isolate.createContext();
    await context.eval(HARDEN_GLOBALS);

    let script: ivm.Script;
    try {
      script = await isolate.compileScript(call.code, { filename: COMPONENT_FILENAME });
    } catch (error) {
      return fail('invalid_component', `The component does not compile: ${describeThrown(error)}`);
    }

    try {
      await script.run(context, { timeout: remainingMs() });
    } catch (error) {
      const stopped = classifyStop(error, isolate, call.limits);
      return stopped ? fail(stopped.failure, stopped.error) : fail('invalid_component', `Evaluating the component file threw: ${describeThrown(error)}`);
    }

    try {
      const isComponent = await context.evalClosure(IS_COMPONENT, [], { timeout: remainingMs() });
      if (isComponent !== true) {
        return fail('invalid_component', 'The file must define `var component = { ..., run: function (input, params) { ... } }`');
      }
      const value: unknown = await context.evalClosure(call.harness, call.args, { timeout: remainingMs() });
      if (typeof value !== 'string' && typeof value !== 'number') {
        return fail('error', `The sandbox harness returned ${typeof value} instead of a string`);
      }
      return { ok: true, value, durationMs: elapsedMs() };
    } catch (error) {
      const stopped = classifyStop(error, isolate, call.limits);
      return stopped ? fail(stopped.failure, stopped.error) : fail('error', describeThrown(error));
    }
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}

/** Recognises the sandbox's own limits; anything else is the component's error. */
function classifyStop(
  error: unknown,
  isolate: ivm.Isolate,
  limits: Required<SandboxLimits>,
): { failure: 'timeout' | 'memory'; error: string } | null {
  // isolated-vm disposes the isolate itself when the heap limit is hit.
  const memoryError = { failure: 'memory' as const, error: `The component exceeded the ${limits.memoryMb} MB memory limit` };
  if (isolate.isDisposed) return memoryError;
  const message = error instanceof Error ? error.message : '';
  if (message === TIMEOUT_MESSAGE) {
    return { failure: 'timeout', error: `The component exceeded the ${limits.timeoutMs} ms time limit` };
  }
  if (message === ARRAY_BUFFER_LIMIT_MESSAGE) return memoryError;
  return null;
}

function describeThrown(error: unknown): string {
  const text = !(error instanceof Error)
    ? String(error)
    : error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

let snapshotChecked = false;

/** Node 20+ crashes inside isolated-vm unless its startup snapshot is disabled. */
function assertNodeSnapshotDisabled(): void {
  if (snapshotChecked) return;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.includes('--no-node-snapshot')) {
    throw new Error('The component sandbox needs Node started with --no-node-snapshot (e.g. NODE_OPTIONS=--no-node-snapshot)');
  }
  snapshotChecked = true;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
