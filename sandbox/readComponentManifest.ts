import { z } from 'zod';
import { ComponentManifest } from '../domain/manifest';
import { resolveLimits, type SandboxLimits } from './contract';
import { sandboxPool } from './sandboxPool';

// JSON.stringify inside the isolate drops `run` and any other functions.
const MANIFEST_ACTION = 'return component;';

/**
 * Evaluates a component file in the sandbox and returns its validated
 * manifest. Throws when the file cannot be loaded or the manifest is invalid,
 * with a message that says which.
 */
export async function readComponentManifest(code: string, limits?: SandboxLimits): Promise<ComponentManifest> {
  const result = await sandboxPool.run({ code, action: MANIFEST_ACTION, argsJson: 'null', limits: resolveLimits(limits) });
  if (!result.ok) throw new Error(`Cannot read the component manifest (${result.failure}): ${result.error}`);
  const manifest = ComponentManifest.safeParse(result.output);
  if (!manifest.success) throw new Error(`Invalid component manifest: ${z.prettifyError(manifest.error)}`);
  return manifest.data;
}
