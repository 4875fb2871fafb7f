import { z } from 'zod';
import type { SandboxResult } from './contract';

/**
 * What crosses between the worker and a sandbox process (see sandboxProcess.ts). Both ends
 * ship together, so there is one version; both ends check what they receive.
 */

/** One component file, one trusted action applied to it, with resolved limits. */
export const ComponentAction = z.object({
  code: z.string(),
  /** Body of a trusted `function (component, args)` run inside the isolate; its return value is the output. */
  action: z.string(),
  /** JSON text; the action receives it parsed, as `args`. */
  argsJson: z.string(),
  limits: z.object({ memoryMb: z.number(), timeoutMs: z.number(), maxOutputBytes: z.number() }),
});
export type ComponentAction = z.infer<typeof ComponentAction>;

const SandboxResultMessage: z.ZodType<SandboxResult> = z.union([
  z.object({ ok: z.literal(true), output: z.unknown(), durationMs: z.number() }),
  z.object({
    ok: z.literal(false),
    failure: z.enum(['timeout', 'memory', 'error', 'output_too_large', 'invalid_component']),
    error: z.string(),
    durationMs: z.number(),
  }),
]);

/** Worker → sandbox process: evaluate one action. */
export const ToSandboxProcess = z.object({ id: z.number(), call: ComponentAction });
export type ToSandboxProcess = z.infer<typeof ToSandboxProcess>;

/** Sandbox process → worker: `ready` once it listens, then one `answer` per call, with its resident memory. */
export const FromSandboxProcess = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('answer'), id: z.number(), result: SandboxResultMessage, rssBytes: z.number() }),
]);
export type FromSandboxProcess = z.infer<typeof FromSandboxProcess>;
