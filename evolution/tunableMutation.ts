import type { Tunable } from '../domain/manifest';
import { literalPattern } from './literalPattern';
import { seededRandom } from './seededRandom';

/**
 * The offline operator: moves the tunable defaults a component declares, within their
 * ranges, by whole steps. Seeded, so a seed names exactly one sequence of candidates.
 */
export function mutateTunables(
  tunables: Record<string, Tunable>,
  current: Record<string, number>,
  seed: number,
  count: number,
): Record<string, number>[] {
  const names = Object.keys(tunables).sort();
  if (names.length === 0) return [];
  const random = seededRandom(seed);
  const seen = new Set([JSON.stringify(current)]);
  const out: Record<string, number>[] = [];
  for (let attempt = 0; attempt < count * 20 && out.length < count; attempt++) {
    const next = { ...current };
    const changes = 1 + Math.floor(random() * Math.min(2, names.length));
    for (let c = 0; c < changes; c++) {
      const name = names[Math.floor(random() * names.length)];
      const t = tunables[name];
      const step = t.step ?? (t.max - t.min) / 10;
      if (step <= 0) continue;
      const magnitude = 1 + Math.floor(random() * 3);
      const direction = random() < 0.5 ? -1 : 1;
      const value = clampToGrid((next[name] ?? t.default) + direction * magnitude * step, t, step);
      next[name] = value;
    }
    const key = JSON.stringify(next);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(next);
    }
  }
  return out;
}

function clampToGrid(value: number, t: Tunable, step: number): number {
  const clamped = Math.min(t.max, Math.max(t.min, value));
  const snapped = t.min + Math.round((clamped - t.min) / step) * step;
  // Keep decimals the step has, and no float noise (0.1 + 0.2).
  const decimals = Math.min(10, (String(step).split('.')[1] ?? '').length);
  return Number(Math.min(t.max, Math.max(t.min, snapped)).toFixed(decimals));
}

/** Current default of every tunable. */
export const tunableDefaults = (tunables: Record<string, Tunable> | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(tunables ?? {}).map(([name, t]) => [name, t.default]));

/** The tunables that moved, as "name from→to", comma-separated ('' when none did). */
export const describeTunableChange = (before: Record<string, number>, after: Record<string, number>): string =>
  Object.entries(after)
    .filter(([k, v]) => before[k] !== v)
    .map(([k, v]) => `${k} ${before[k]}→${v}`)
    .join(', ');

/**
 * Rewrites `default: N` of each named tunable inside the file's `tunables: {…}` block,
 * leaving every other byte alone (so the diff shows exactly the moved knobs).
 */
export function writeTunableDefaults(code: string, values: Record<string, number>): string {
  const blockStart = code.search(/\btunables\s*:\s*\{/);
  if (blockStart < 0) throw new Error('the component declares no tunables block');
  let head = code.slice(0, blockStart);
  let block = code.slice(blockStart);
  for (const [name, value] of Object.entries(values)) {
    // The key as written: bare, or quoted when the name is no identifier ('a.b': { default: 1 }).
    const key = `(?<![\\w$])(['"]?)${literalPattern(name)}\\2`;
    const pattern = new RegExp(`(${key}\\s*:\\s*\\{\\s*default\\s*:\\s*)(-?[0-9]*\\.?[0-9]+(?:e-?[0-9]+)?)`);
    if (!pattern.test(block)) throw new Error(`tunable '${name}' has no literal default to rewrite`);
    block = block.replace(pattern, (_m, prefix: string) => `${prefix}${value}`);
  }
  head += block;
  return head;
}
