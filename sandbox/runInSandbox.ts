import type { SandboxRequest, SandboxResult } from './contract';
import { evaluateInIsolate, resolveLimits } from './evaluateInIsolate';

/**
 * Calls `component.run(input, params)` inside the isolate. Input and params go
 * in as JSON text and the result comes out as JSON text, so no object is
 * shared between host and component. Tunables missing from `params` take
 * their manifest default. Returns a number instead of the JSON when the output
 * is longer than $2 characters, so oversized output never crosses into the host.
 */
const RUN_HARNESS = `
  const input = JSON.parse($0);
  const params = {};
  const tunables = component.tunables || {};
  for (const name of Object.keys(tunables)) params[name] = tunables[name] && tunables[name].default;
  Object.assign(params, JSON.parse($1));
  const result = component.run(input, params);
  if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
    throw new Error('run() must return its result, not a promise');
  }
  const json = JSON.stringify(result === undefined ? null : result);
  if (typeof json !== 'string') throw new Error('run() returned a value that is not JSON-serialisable');
  return json.length > $2 ? json.length : json;
`;

export async function runInSandbox(request: SandboxRequest): Promise<SandboxResult> {
  const limits = resolveLimits(request.limits);
  const startedAt = performance.now();
  let inputJson: string;
  let paramsJson: string;
  try {
    inputJson = JSON.stringify(request.input ?? null);
    paramsJson = JSON.stringify(request.params ?? {});
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: 'error', error: `Input or params are not JSON-serialisable: ${reason}`, durationMs: Math.round(performance.now() - startedAt) };
  }

  const outcome = await evaluateInIsolate({
    code: request.code,
    harness: RUN_HARNESS,
    args: [inputJson, paramsJson, limits.maxOutputBytes],
    limits,
  });
  if (!outcome.ok) return outcome;

  const tooLarge = (size: string) => ({
    ok: false as const,
    failure: 'output_too_large' as const,
    error: `The output is ${size}; the limit is ${limits.maxOutputBytes} bytes`,
    durationMs: outcome.durationMs,
  });
  if (typeof outcome.value === 'number') return tooLarge(`${outcome.value} characters`);
  // The isolate counted UTF-16 units; multi-byte characters can still push the bytes over.
  const bytes = Buffer.byteLength(outcome.value, 'utf8');
  if (bytes > limits.maxOutputBytes) return tooLarge(`${bytes} bytes`);
  return { ok: true, output: JSON.parse(outcome.value), durationMs: outcome.durationMs };
}
