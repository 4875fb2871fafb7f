import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PredictionRecord } from '../domain/evolution';
import { ACTIVITY_PROFILES } from './activityProfiles';

const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.analysis);

/** Predictions on request (GET /api/system/predictions): the analysis runs on the worker, which holds the corpus and the sandbox. */
export async function analyseComponents(): Promise<PredictionRecord[]> {
  return steps.computePredictions();
}
