import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Prediction } from '../domain/evolution';

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** Predictions on request (GET /api/system/predictions): the analysis runs on the worker, which holds the corpus and the sandbox. */
export async function analyseComponents(): Promise<Prediction[]> {
  return steps.computePredictions();
}
