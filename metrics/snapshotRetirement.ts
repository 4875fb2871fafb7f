import type { Db } from 'mongodb';
import { AggregatorRegistry } from 'prom-client';
import { deleteSnapshots, insertRetiredTotal, readSnapshotSet, retiredId, retiredSeq } from '../store/metricsSnapshotStore';
import { sumMinutes } from './turnMinutes';

/**
 * Folds the snapshots of worker processes that have stopped publishing into one retired total,
 * so /metrics keeps counting what they counted (counters stay monotonic) while the collection
 * holds one document per live process plus one total, not one per process ever started. A live
 * process publishes at least every KEEPALIVE_MS (snapshotPublisher.ts), far inside
 * RETIRE_AFTER_MS, so only a stopped one goes silent that long.
 */
export const RETIRE_AFTER_MS = 10 * 60_000;

/** Several prom-client JSON snapshots summed into one (counters and histograms add up). */
async function summed(snapshots: string[]): Promise<string> {
  const registry = AggregatorRegistry.aggregate(snapshots.map((s) => JSON.parse(s) as object[]));
  return JSON.stringify(await registry.getMetricsAsJSON());
}

/**
 * One fold: deletes what an earlier fold left behind, then adds the silent processes to the next
 * total and deletes them. Safe with every worker running it: the total is insert-once, and a
 * worker that loses the race folds nothing. Returns how many processes it folded.
 */
export async function retireSilentSnapshots(db: Db, now = Date.now()): Promise<number> {
  const { retired, live, leftover } = await readSnapshotSet(db);
  // Already counted in the newest total (folded processes) or superseded by it (older totals).
  await deleteSnapshots(db, leftover);
  const cutoff = new Date(now - RETIRE_AFTER_MS).toISOString();
  const silent = live.filter((d) => d.updated_at < cutoff);
  if (silent.length === 0) return 0;
  const folding = [...(retired ? [retired] : []), ...silent];
  const next = {
    _id: retiredId(retired ? retiredSeq(retired._id) + 1 : 1),
    metrics: await summed(folding.map((d) => d.metrics)),
    // Their last hour too: a stopped worker's turns still count in the plot until they are an hour old.
    turn_minutes: sumMinutes(
      folding.map((d) => d.turn_minutes ?? []),
      now,
    ),
    updated_at: new Date(now).toISOString(),
    folded: silent.map((d) => d._id),
  };
  if (!(await insertRetiredTotal(db, next))) return 0;
  await deleteSnapshots(db, [...next.folded, ...(retired ? [retired._id] : [])]);
  return silent.length;
}
