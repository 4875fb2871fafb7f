import { z } from 'zod';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/scrape';
import { declareRoute } from './routeDeclaration';

/** Prometheus's conventional path, outside /api: the text exposition format, not JSON. */
export const metricsRoutes = [
  declareRoute({
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics (text format 0.0.4): turns, steps, model calls and tokens, sandbox calls, experiments, promotions, rollbacks, supervised restarts, event push lag, open subscriptions. Also served without the token on EVOSCOPE_METRICS_ADDRESS when set.',
    tag: 'system',
    status: 200,
    response: z.string().describe('The Prometheus text exposition format'),
    textType: PROMETHEUS_CONTENT_TYPE,
    handle: async (_req, { metrics }) => (await metrics.scrape()).text,
  }),
];
