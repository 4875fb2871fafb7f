import type { ApiDeps } from '../deps';
import { scrapeMetrics, type Scrape } from './scrape';
import { createStoreMetrics } from './storeMetrics';

export interface MetricsService {
  /** Every figure in the Prometheus text format (scrape.ts). */
  scrape(): Promise<Scrape>;
}

/** /metrics as a use case: served by the REST route (behind the token) and by the token-free listener (metricsListener.ts). */
export function createMetricsService(deps: Pick<ApiDeps, 'db' | 'env'>): MetricsService {
  const storeMetrics = createStoreMetrics(deps);
  return { scrape: () => scrapeMetrics(deps.db, storeMetrics) };
}
