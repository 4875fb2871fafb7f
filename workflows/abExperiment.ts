import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AbExperimentInput, Conclusion } from '../domain/evolution';

const suiteRuns = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});
const steps = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumAttempts: 5 },
});

/**
 * Versions A and B over the same suite cases, with repetitions, in the sandbox; then the
 * verdict on the held-out cases only. Measures and concludes; never promotes (that is the
 * caller's decision, under the autonomy level and change rules).
 */
export async function abExperiment(input: AbExperimentInput): Promise<Conclusion> {
  const arm = (version: string, name: 'a' | 'b') =>
    suiteRuns.runSandboxedSuite({ experimentId: input.experimentId, component: input.component, version, arm: name, repetitions: input.repetitions });
  await Promise.all([arm(input.versionA, 'a'), arm(input.versionB, 'b')]);
  return steps.judgeExperiment({ experimentId: input.experimentId, seed: input.seed });
}
