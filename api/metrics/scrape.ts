import { AggregatorRegistry, Registry } from 'prom-client';
import type { Db } from 'mongodb';
import { readMetricsSnapshots } from '../../store/metricsSnapshotStore';
import { feedRegistry } from './feedMetrics';

/** The exposition format's media type, as prom-client writes it. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export interface Scrape {
  contentType: string;
  text: string;
}

/**
 * /metrics in the Prometheus text format: every worker process's published snapshot
 * (metrics/workerMetrics.ts) summed, with this API process's own figures (feedMetrics.ts) and
 * the ones read from the store (storeMetrics.ts). The cost is one read of the snapshots (one
 * small document per worker process) and one narrow scan of the experiments: it does not grow
 * with the turns stored.
 */
export async function scrapeMetrics(db: Db, storeMetrics: Registry): Promise<Scrape> {
  const [snapshots, own, stored] = await Promise.all([
    readMetricsSnapshots(db),
    feedRegistry.getMetricsAsJSON(),
    storeMetrics.getMetricsAsJSON(),
  ]);
  const merged = AggregatorRegistry.aggregate([...snapshots.map((s) => JSON.parse(s) as object[]), own, stored]);
  return { contentType: merged.contentType, text: await merged.metrics() };
}
