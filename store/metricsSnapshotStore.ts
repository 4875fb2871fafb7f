import type { Db } from 'mongodb';
import type { TurnMinute } from '../domain/systemActivity';

/**
 * Each worker process's cumulative metrics (metrics/workerMetrics.ts), as prom-client's JSON.
 * One document per live process and one writer per document (the process itself, overwriting it
 * with `$set`): safe on FerretDB, whose concurrent updates of one document lose writes. A process
 * that has stopped publishing is folded into a "retired" total (metrics/snapshotRetirement.ts), so
 * the sum over all documents never goes down and the collection does not grow with every worker
 * ever started. Retired totals are never updated: each fold inserts the next one (`retired:<seq>`,
 * insert-once, so two workers folding at once cannot both win) and names the process documents it
 * took in; readers take the newest total and skip those documents until they are deleted. The
 * JSON is kept as text: label values such as `+Inf` and names with dots stay exactly as
 * prom-client wrote them. Beside it, the turns the process finished in the last hour, minute by
 * minute (metrics/turnMinutes.ts), for the console's plot of the last hour.
 */
export interface MetricsSnapshotDoc {
  _id: string; // the process's id, or `retired:<seq>`
  metrics: string;
  /** Absent from documents written before it was published. */
  turn_minutes?: TurnMinute[];
  updated_at: string;
  /** On a retired total: the process documents folded into it. */
  folded?: string[];
}

const RETIRED_PREFIX = 'retired:';
/** Zero-padded, so the ids sort as the sequence does. */
export const retiredId = (seq: number) => `${RETIRED_PREFIX}${String(seq).padStart(12, '0')}`;
export const retiredSeq = (id: string) => Number(id.slice(RETIRED_PREFIX.length));
const isRetired = (doc: Pick<MetricsSnapshotDoc, '_id'>) => doc._id.startsWith(RETIRED_PREFIX);

const snapshots = (db: Db) => db.collection<MetricsSnapshotDoc>('metrics_snapshots');

/** Publishes a process's snapshot. Only its first save creates the document: false when it has been folded away since. */
export async function saveMetricsSnapshot(
  db: Db,
  processId: string,
  snapshot: Pick<MetricsSnapshotDoc, 'metrics' | 'turn_minutes'>,
  first: boolean,
): Promise<boolean> {
  const { matchedCount, upsertedCount } = await snapshots(db).updateOne(
    { _id: processId },
    { $set: { metrics: snapshot.metrics, turn_minutes: snapshot.turn_minutes, updated_at: new Date().toISOString() } },
    { upsert: first },
  );
  return matchedCount + upsertedCount > 0;
}

export interface SnapshotSet {
  /** The newest retired total, if any process has been folded yet. */
  retired: MetricsSnapshotDoc | null;
  /** Process snapshots not yet folded. */
  live: MetricsSnapshotDoc[];
  /** Documents a finished fold left to delete: folded process snapshots and older totals. */
  leftover: string[];
}

/** Every document of the collection, sorted into the current total, the live processes and the leftovers. */
export async function readSnapshotSet(db: Db): Promise<SnapshotSet> {
  const docs = await snapshots(db).find({}).sort({ _id: 1 }).toArray();
  const totals = docs.filter(isRetired);
  const retired = totals.at(-1) ?? null;
  const folded = new Set(retired?.folded ?? []);
  return {
    retired,
    live: docs.filter((d) => !isRetired(d) && !folded.has(d._id)),
    leftover: [...totals.slice(0, -1).map((d) => d._id), ...docs.filter((d) => folded.has(d._id)).map((d) => d._id)],
  };
}

/** What counts now: the retired total and each live process. */
async function countedSnapshots(db: Db): Promise<MetricsSnapshotDoc[]> {
  const { retired, live } = await readSnapshotSet(db);
  return [...(retired ? [retired] : []), ...live];
}

/** Every process's metrics as /metrics sums them. */
export async function readMetricsSnapshots(db: Db): Promise<string[]> {
  return (await countedSnapshots(db)).map((d) => d.metrics);
}

/** Every process's finished turns of the last hour by minute, for the API to sum. */
export async function readTurnMinutes(db: Db): Promise<TurnMinute[][]> {
  return (await countedSnapshots(db)).map((d) => d.turn_minutes ?? []);
}

/** Inserts the next retired total; false when another process inserted that one first. */
export async function insertRetiredTotal(db: Db, doc: MetricsSnapshotDoc): Promise<boolean> {
  try {
    await snapshots(db).insertOne(doc);
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

export async function deleteSnapshots(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await snapshots(db).deleteMany({ _id: { $in: ids } });
}
