import type { Db } from 'mongodb';

/**
 * Each worker process's cumulative metrics (metrics/workerMetrics.ts), as prom-client's JSON.
 * One document per process and one writer per document (the process itself, overwriting it with
 * `$set`): safe on FerretDB, whose concurrent updates of one document lose writes. Documents of
 * processes that have stopped stay, so the sum over all of them never goes down: counters survive
 * a worker's restart. The JSON is kept as text: label values such as `+Inf` and names with dots
 * stay exactly as prom-client wrote them.
 */
export interface MetricsSnapshotDoc {
  _id: string; // the process's id
  metrics: string;
  updated_at: string;
}

const snapshots = (db: Db) => db.collection<MetricsSnapshotDoc>('metrics_snapshots');

export async function saveMetricsSnapshot(db: Db, processId: string, metrics: string): Promise<void> {
  await snapshots(db).updateOne(
    { _id: processId },
    { $set: { metrics, updated_at: new Date().toISOString() } },
    { upsert: true },
  );
}

/** Every process's snapshot: a small collection (one document per worker process ever started). */
export async function readMetricsSnapshots(db: Db): Promise<string[]> {
  const docs = await snapshots(db)
    .find({}, { projection: { metrics: 1 } })
    .toArray();
  return docs.map((d) => d.metrics);
}
