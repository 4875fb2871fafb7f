import { Counter, Registry } from 'prom-client';
import type { SupervisorStatus } from '../../domain/supervisorStatus';
import { readExperimentTallies } from '../../store/experimentTallies';
import type { ApiDeps } from '../deps';
import { apiIdentity } from '../services/health';
import { sharedFor } from '../services/sharedFor';

const TALLIES_FRESH_MS = 1000;

/**
 * Figures the store (and the supervisor's status file) already hold, read when Prometheus
 * scrapes: experiments, promotions and rollbacks from the experiment records (every worker's,
 * surviving restarts), and supervised restarts from `npm start`'s status file. Each counter is
 * set to the total it reads; the totals only grow, so they read as counters should.
 */
export function createStoreMetrics(deps: Pick<ApiDeps, 'db' | 'env'>): Registry {
  const registry = new Registry();
  /** One read per scrape (and per second), shared by the three experiment counters. */
  const experimentTallies = sharedFor(TALLIES_FRESH_MS, () => readExperimentTallies(deps.db));

  new Counter({
    name: 'evoscope_experiments_total',
    help: 'Experiments that reached an outcome (promoted, not_promoted, rejected, expired, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
    async collect() {
      const { byOutcome } = await experimentTallies();
      this.reset();
      for (const [outcome, count] of Object.entries(byOutcome)) this.inc({ outcome }, count);
    },
  });
  new Counter({
    name: 'evoscope_promotions_total',
    help: 'Versions promoted by an experiment, by who decided (system, person).',
    labelNames: ['decided_by'] as const,
    registers: [registry],
    async collect() {
      const { promotionsBy } = await experimentTallies();
      this.reset();
      for (const [decidedBy, count] of Object.entries(promotionsBy)) this.inc({ decided_by: decidedBy }, count);
    },
  });
  new Counter({
    name: 'evoscope_rollbacks_total',
    help: 'Promotions rolled back.',
    registers: [registry],
    async collect() {
      const { rollbacks } = await experimentTallies();
      this.reset();
      this.inc(rollbacks);
    },
  });
  new Counter({
    name: 'evoscope_supervised_restarts_total',
    help: "Restarts of a service after an unexpected exit, since `npm start`'s supervisor started (absent without one).",
    labelNames: ['service'] as const,
    registers: [registry],
    async collect() {
      const services: SupervisorStatus['services'] = (await apiIdentity(deps.env)).services ?? {};
      this.reset();
      for (const [service, s] of Object.entries(services)) this.inc({ service }, s.restarts);
    },
  });
  return registry;
}
