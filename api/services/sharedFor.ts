/**
 * `compute` behind a short-lived share: every caller within `ms` of a computation gets its
 * promise, so many open consoles (or a scrape's several collectors) cost one read of the store.
 */
export function sharedFor<T>(ms: number, compute: () => Promise<T>): () => Promise<T> {
  let latest: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (!latest || Date.now() - latest.at > ms) latest = { at: Date.now(), value: compute() };
    return latest.value;
  };
}
