import { createAgentLoopActivities } from './agentLoopActivities';
import type { ActivityDeps } from './deps';
import { createEvolutionActivities } from './evolution';
import { createReplayActivities } from './replayActivities';
import { createTurnActivities } from './turnActivities';

/** The worker registers these; workflows proxy them by type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTurnActivities(deps),
    ...createAgentLoopActivities(deps),
    ...createReplayActivities(deps),
    ...createEvolutionActivities(deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
