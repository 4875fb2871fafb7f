import { literalPattern } from './literalPattern';

/**
 * What a component's code depends on, read from the code: host capabilities it touches
 * (input fields the host supplies, such as `documents`) and other components it names.
 * Components cannot import each other, so a mention by name is the only link there is.
 */
export function readDependencies(code: string, otherComponents: string[]): string[] {
  const found = new Set<string>();
  const stripped = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const name of otherComponents) {
    if (new RegExp(`['"\`]${literalPattern(name)}['"\`]`).test(stripped)) found.add(`component:${name}`);
  }
  for (const m of stripped.matchAll(/\binput\.([A-Za-z_$][\w$]*)/g)) found.add(`input:${m[1]}`);
  for (const m of stripped.matchAll(/\bparams\.([A-Za-z_$][\w$]*)/g)) found.add(`tunable:${m[1]}`);
  for (const builtin of ['Math', 'JSON', 'Date', 'RegExp', 'Intl']) {
    if (new RegExp(`\\b${builtin}\\.`).test(stripped)) found.add(`builtin:${builtin}`);
  }
  return [...found].sort();
}
