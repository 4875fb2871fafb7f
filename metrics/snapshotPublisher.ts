import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { saveMetricsSnapshot } from '../store/metricsSnapshotStore';
import { retireSilentSnapshots } from './snapshotRetirement';
import { workerRegistry, workerTurnMinutes } from './workerMetrics';

const PUBLISH_MS = 2000;
/** An unchanged registry is published again this often, so a live process never looks stopped. */
export const KEEPALIVE_MS = 60_000;
/** How often each process folds the snapshots of stopped ones (snapshotRetirement.ts). */
const RETIRE_EVERY_MS = 60_000;

export interface SnapshotPublisher {
  /** Publishes now (tests, shutdown); the timer publishes every two seconds meanwhile. */
  publish(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps this process's metrics (and its finished turns of the last hour by minute) in the store
 * for the API's /metrics and last-hour activity: a crash loses at most the last two seconds of them. Each publication writes the whole registry when it changed (or
 * KEEPALIVE_MS passed); publications run one at a time, so an older snapshot never overwrites a
 * newer one. One id per process: several workers of one process (tests) publish the one registry
 * to one document. Should the process ever be taken for stopped and folded into the retired
 * total, its figures up to its last publication are counted there: it starts again from zero
 * under a new id rather than bring them back a second time.
 */
export function startSnapshotPublisher(db: Db): SnapshotPublisher {
  let processId = randomUUID();
  let first = true;
  let publishing: Promise<void> = Promise.resolve();
  let published = '';
  let publishedAt = 0;
  const publish = () => {
    // A failed publication (the store is away) leaves the next one to try again.
    publishing = publishing
      .catch(() => undefined)
      .then(async () => {
        const snapshot = {
          metrics: JSON.stringify(await workerRegistry.getMetricsAsJSON()),
          turn_minutes: workerTurnMinutes.recent(Date.now()),
        };
        const text = JSON.stringify(snapshot);
        if (text === published && Date.now() - publishedAt < KEEPALIVE_MS) return;
        if (await saveMetricsSnapshot(db, processId, snapshot, first)) {
          first = false;
          published = text;
          publishedAt = Date.now();
          return;
        }
        workerRegistry.resetMetrics();
        workerTurnMinutes.reset();
        processId = randomUUID();
        first = true;
        published = '';
      });
    return publishing;
  };
  const timer = setInterval(() => void publish().catch(() => undefined), PUBLISH_MS);
  const retiring = setInterval(() => void retireSilentSnapshots(db).catch(() => undefined), RETIRE_EVERY_MS);
  timer.unref();
  retiring.unref();
  return {
    publish,
    async close() {
      clearInterval(timer);
      clearInterval(retiring);
      await publish();
    },
  };
}
