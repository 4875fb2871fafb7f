import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AbExperimentInput, Conclusion } from '../domain/evolution';
import { ACTIVITY_PROFILES } from './activityProfiles';

const suiteRuns = proxyActivities<Activities>(ACTIVITY_PROFILES.suiteRun);
const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.evolutionStep);

/**
 * Versions A and B over the same suite cases, with repetitions, in the sandbox; then the
 * verdict on the held-out cases only. Measures and concludes; never promotes (that is the
 * caller's decision, under the autonomy level and change rules).
 */
export async function abExperiment(input: AbExperimentInput): Promise<Conclusion> {
  const arm = (version: string, name: 'a' | 'b') =>
    suiteRuns.runSandboxedSuite({
      experimentId: input.experimentId,
      component: input.component,
      version,
      arm: name,
      repetitions: input.repetitions,
    });
  await Promise.all([arm(input.versionA, 'a'), arm(input.versionB, 'b')]);
  return steps.judgeExperiment({ experimentId: input.experimentId, seed: input.seed });
}
