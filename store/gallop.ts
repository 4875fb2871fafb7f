/**
 * The highest n for which `exists(n)` holds, given `known` for which it does (0: none yet),
 * for a sequence that exists from 1 up to some head with no gaps (event seqs, ticks): a
 * galloping search forward from `known`, O(log distance) lookups, each one an `_id` lookup.
 */
export async function headOf(exists: (n: number) => Promise<boolean>, known: number): Promise<number> {
  let low = known;
  let step = 1;
  while (await exists(low + step)) {
    low += step;
    step *= 2;
  }
  let high = low + step; // known not to exist
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await exists(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** The items found for `keys` (in their order), up to the first key with none: the gap-free start of a run. */
export function gapFreeRun<K, T>(keys: K[], found: Map<K, T>): T[] {
  const run: T[] = [];
  for (const key of keys) {
    const item = found.get(key);
    if (item === undefined) break;
    run.push(item);
  }
  return run;
}
