import { ParentClosePolicy, proxyActivities, startChild, uuid4 } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EvolutionSweepInput, EvolutionSweepResult } from '../domain/evolution';
import { evolveWorkflowId } from '../domain/evolutionWorkflowNames';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { evolveComponent } from './evolveComponent';

const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.analysis);

/**
 * What the evolution schedule (and "Run sweep now") runs: compute predictions and, from assisted
 * up, start `evolveComponent` for the top executable ones; each then decides under the level and
 * rules (at assisted it waits for a person). At manual the system proposes nothing on its own:
 * the sweep only refreshes the predictions.
 */
export async function evolutionSweep(input: EvolutionSweepInput): Promise<EvolutionSweepResult> {
  const predictions = await steps.computePredictions();
  const autonomyLevel = await steps.readAutonomyLevel();
  const runnable = predictions.filter((p) => p.executable && p.status === 'open');
  if (autonomyLevel === 'manual' || runnable.length === 0)
    return { predictions: predictions.length, started: [], level: autonomyLevel };
  const started: string[] = [];
  const seen = new Set<string>();
  for (const p of runnable) {
    if (started.length >= input.maxExecutions) break;
    if (seen.has(p.component)) continue; // one evolution per component per sweep
    seen.add(p.component);
    const evolutionId = `sweep-${uuid4()}`;
    if (!(await steps.markPredictionExecuting({ predictionId: p.id, experimentId: evolutionId }))) continue;
    await startChild(evolveComponent, {
      workflowId: evolveWorkflowId(evolutionId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          evolutionId,
          component: p.component,
          goal: p.title,
          predictionId: p.id,
          seed: parseInt(evolutionId.slice(6, 14), 16),
          candidateVersion: null,
          repetitions: 2,
          requestedBy: 'schedule',
        },
      ],
    });
    started.push(evolutionId);
  }
  return { predictions: predictions.length, started, level: autonomyLevel };
}
