import type { PreparedTurn, UserInput } from '../domain/turnContracts';
import type { ActivityDeps } from './deps';
import { createPlanningStepActivities } from './turn/planningSteps';
import { prepareTurn } from './turn/prepareTurn';
import { createLearningActivities } from './turn/recordLearning';
import { createUserInputActivities } from './turn/recordUserInput';
import { createFailureReportActivities } from './turn/reportFailure';
import { createResponseActivities } from './turn/streamResponse';

/**
 * The chat turn's activities outside the agent loop, one module per job under turn/. Their names
 * (the keys below) are what running turns recorded in their histories: they must not change.
 */
export function createTurnActivities(deps: ActivityDeps) {
  const preparing = { ...createUserInputActivities(deps), ...createPlanningStepActivities(deps) };
  const learning = createLearningActivities(deps);
  return {
    ...preparing,
    /** The steps before the agent loop in one activity (the local path); see turn/prepareTurn.ts. */
    prepareTurn: (input: UserInput): Promise<PreparedTurn> => prepareTurn(preparing, input),
    ...createResponseActivities(deps, learning),
    ...createFailureReportActivities(deps),
    ...learning,
  };
}
