import type { ActivityDeps } from '../deps';
import { createExperimentActivities } from './experimentActivities';
import { createGenerationActivities } from './generationActivities';
import { createPredictionActivities } from './predictionActivities';
import { createPromotionActivities } from './promotionActivities';
import { createProposalActivities } from './proposalActivities';

/** Everything the evolution workflows call. */
export function createEvolutionActivities(deps: ActivityDeps) {
  return {
    ...createExperimentActivities(deps),
    ...createProposalActivities(deps),
    ...createPromotionActivities(deps),
    ...createPredictionActivities(deps),
    ...createGenerationActivities(deps),
  };
}
export type EvolutionActivities = ReturnType<typeof createEvolutionActivities>;
