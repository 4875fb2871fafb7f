import { resolveLimits, type SandboxRequest, type SandboxResult } from './contract';
import { sandboxPool } from './sandboxPool';

/**
 * Calls `component.run(input, params)`. Tunables missing from `params` take
 * their manifest default. A promise is refused rather than awaited: the time
 * limit only covers synchronous work, and the rejection is marked handled so
 * it is reported here, not as a stray unhandled rejection.
 */
const RUN_ACTION = `
  const params = {};
  const tunables = component.tunables || {};
  for (const name of Object.keys(tunables)) params[name] = tunables[name] && tunables[name].default;
  Object.assign(params, args.params);
  const result = component.run(args.input, params);
  if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
    result.then(undefined, function () {});
    throw new Error('run() must return its result, not a promise');
  }
  return result;
`;

/** Runs a component file's `run` in a fresh isolate with memory, time and output limits. */
export async function runInSandbox(request: SandboxRequest): Promise<SandboxResult> {
  const limits = resolveLimits(request.limits);
  let argsJson: string;
  try {
    argsJson = JSON.stringify({ input: request.input ?? null, params: request.params ?? {} });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, failure: 'error', error: `Input and params must be JSON-serialisable: ${reason}`, durationMs: 0 };
  }
  return sandboxPool.run({ code: request.code, action: RUN_ACTION, argsJson, limits });
}
