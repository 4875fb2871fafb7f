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
import { withHeldEvents } from '../store/emit';

type Activity = (...args: never[]) => Promise<unknown>;

/**
 * Each activity runs in its own scope of held events (store/emit.ts): a node's completion is
 * stored with the activity's next append, and whatever is still held before the activity reports.
 */
function holdingEvents<A extends Record<string, Activity>>(activities: A): A {
  const wrap =
    (run: Activity): Activity =>
    (...args) =>
      withHeldEvents(() => run(...args));
  return Object.fromEntries(Object.entries(activities).map(([name, run]) => [name, wrap(run)])) as A;
}

/** The worker registers these; workflows proxy them by type only. */
export function createActivities(deps: ActivityDeps) {
  return holdingEvents({
    ...createTurnActivities(deps),
    ...createAgentLoopActivities(deps),
    ...createReplayActivities(deps),
    ...createExperimentActivities(deps),
    ...createProposalActivities(deps),
    ...createPromotionActivities(deps),
    ...createPredictionActivities(deps),
    ...createToolGenerationActivities(deps),
    ...createRunTraceActivities(deps),
  });
}
export type Activities = ReturnType<typeof createActivities>;
