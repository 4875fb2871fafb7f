import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInSandbox } from '../../sandbox/runInSandbox';

export const COMPONENTS_DIR = path.resolve(__dirname, '..', '..', 'components');

/** Runs a real component file in the sandbox; resolves with its output, rejects with its error. */
export function componentRunner(relativePath: string) {
  const code = readFileSync(path.join(COMPONENTS_DIR, relativePath), 'utf8');
  return async (input: unknown, params?: Record<string, unknown>): Promise<any> => {
    const result = await runInSandbox({ code, input, params });
    if (!result.ok) throw new Error(`${result.failure}: ${result.error}`);
    return result.output;
  };
}
