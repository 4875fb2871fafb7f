/** What callers of the component sandbox send and get back. */

export interface SandboxLimits {
  /** Heap limit of the isolate; isolated-vm's minimum is 8 MB. */
  memoryMb?: number;
  /** Wall-clock budget for evaluating the file and calling `run`, together. */
  timeoutMs?: number;
  /** Size limit of the JSON-encoded output, in UTF-8 bytes. */
  maxOutputBytes?: number;
}

const DEFAULT_SANDBOX_LIMITS: Required<SandboxLimits> = {
  memoryMb: 32,
  timeoutMs: 1000,
  maxOutputBytes: 256 * 1024,
};

export function resolveLimits(limits: SandboxLimits = {}): Required<SandboxLimits> {
  const given = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  const resolved = { ...DEFAULT_SANDBOX_LIMITS, ...given };
  if (!(resolved.memoryMb >= 8)) throw new RangeError(`memoryMb must be at least 8, got ${resolved.memoryMb}`);
  if (!(resolved.timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${resolved.timeoutMs}`);
  if (!(resolved.maxOutputBytes > 0)) throw new RangeError(`maxOutputBytes must be positive, got ${resolved.maxOutputBytes}`);
  return resolved;
}

export interface SandboxRequest {
  /** Source of a component file (see components/README.md). */
  code: string;
  /** Must be JSON-serialisable; the component receives a copy. */
  input: unknown;
  /** Tunable values; tunables not given here take their manifest default. */
  params?: Record<string, unknown>;
  limits?: SandboxLimits;
}

export type SandboxFailure = 'timeout' | 'memory' | 'error' | 'output_too_large' | 'invalid_component';

export type SandboxFailed = { ok: false; error: string; failure: SandboxFailure; durationMs: number };

export type SandboxResult = { ok: true; output: unknown; durationMs: number } | SandboxFailed;
