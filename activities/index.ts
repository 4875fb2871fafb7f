import { createAgentLoopActivities } from './agentLoopActivities';
import type { ActivityDeps } from './deps';
import { createExperimentActivities } from './experiments/experimentActivities';
import { createPredictionActivities } from './predictions/predictionActivities';
import { createPromotionActivities } from './promotion/promotionActivities';
import { createProposalActivities } from './proposals/proposalActivities';
import { createReplayActivities } from './replayActivities';
import { createRunTraceActivities } from './runTraceActivities';
import { createToolGenerationActivities } from './toolGeneration/toolGenerationActivities';
import { createTurnActivities } from './turnActivities';

/** The worker registers these; workflows proxy them by type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTurnActivities(deps),
    ...createAgentLoopActivities(deps),
    ...createReplayActivities(deps),
    ...createExperimentActivities(deps),
    ...createProposalActivities(deps),
    ...createPromotionActivities(deps),
    ...createPredictionActivities(deps),
    ...createToolGenerationActivities(deps),
    ...createRunTraceActivities(deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
