import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { saveMetricsSnapshot } from '../store/metricsSnapshotStore';
import { workerRegistry } from './workerMetrics';

const PUBLISH_MS = 2000;
/** One id per process: several workers of one process (tests) publish the one registry to one document. */
const PROCESS_ID = randomUUID();

export interface SnapshotPublisher {
  /** Publishes now (tests, shutdown); the timer publishes every two seconds meanwhile. */
  publish(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps this process's metrics in the store for the API's /metrics: a crash loses at most the
 * last two seconds of them. Each publication writes the whole registry when it changed;
 * publications run one at a time, so an older snapshot never overwrites a newer one.
 */
export function startSnapshotPublisher(db: Db): SnapshotPublisher {
  let publishing: Promise<void> = Promise.resolve();
  let published = '';
  const publish = () => {
    // A failed publication (the store is away) leaves the next one to try again.
    publishing = publishing
      .catch(() => undefined)
      .then(async () => {
        const metrics = JSON.stringify(await workerRegistry.getMetricsAsJSON());
        if (metrics === published) return;
        await saveMetricsSnapshot(db, PROCESS_ID, metrics);
        published = metrics;
      });
    return publishing;
  };
  const timer = setInterval(() => void publish().catch(() => undefined), PUBLISH_MS);
  timer.unref();
  return {
    publish,
    async close() {
      clearInterval(timer);
      await publish();
    },
  };
}
