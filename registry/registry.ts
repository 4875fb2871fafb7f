import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { readComponentManifest } from '../sandbox/readComponentManifest';
import type { ComponentManifest } from '../domain/manifest';

export interface LoadedComponent {
  /** manifest.name: the component's identity, unique across the folder. */
  name: string;
  manifest: ComponentManifest;
  code: string;
  /** sha256 of the file, hex. */
  code_hash: string;
  /** First 12 hex characters of code_hash: a version names exactly one file content. */
  version: string;
  /** Relative to the scanned folder, with forward slashes. */
  file_path: string;
}

const VERSION_LENGTH = 12;

/** Reads every `*.js` component under `dir` (recursively), sorted by path; throws on an invalid file or a duplicate name. */
export async function loadComponents(dir: string): Promise<LoadedComponent[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const filePaths = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();

  const components = await Promise.all(filePaths.map((absolutePath) => loadComponent(dir, absolutePath)));
  const seen = new Map<string, string>();
  for (const component of components) {
    const earlier = seen.get(component.name);
    if (earlier) throw new Error(`Component name '${component.name}' is used by both ${earlier} and ${component.file_path}`);
    seen.set(component.name, component.file_path);
  }
  return components;
}

/** One component file; throws if its manifest is invalid (the watcher skips such a file until it is fixed). */
export async function loadComponent(dir: string, absolutePath: string): Promise<LoadedComponent> {
  const code = await readFile(absolutePath, 'utf8');
  const file_path = path.relative(dir, absolutePath).split(path.sep).join('/');
  let manifest: ComponentManifest;
  try {
    manifest = await readComponentManifest(code);
  } catch (error) {
    throw new Error(`${file_path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const code_hash = codeHashOf(code);
  return { name: manifest.name, manifest, code, code_hash, version: code_hash.slice(0, VERSION_LENGTH), file_path };
}

export const codeHashOf = (code: string): string => createHash('sha256').update(code).digest('hex');
/** The version that names this exact file content. */
export const versionOfCode = (code: string): string => codeHashOf(code).slice(0, VERSION_LENGTH);

/** OpenAI function definitions for every component of type `tool`. */
export function toOpenAiTools(components: LoadedComponent[]): ChatCompletionFunctionTool[] {
  return components
    .filter((component) => component.manifest.type === 'tool')
    .map(({ manifest }) => ({
      type: 'function',
      function: { name: manifest.name, description: manifest.description, parameters: manifest.input_schema },
    }));
}
