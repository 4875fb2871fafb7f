import { evolveWorkflowId, experimentIdFor } from '../domain/evolution';
import type { RunEnded } from '../domain/evolutionContracts';
import { generationWorkflowId } from '../domain/generation';
import { getExperiment } from '../store/evolutionStore';
import { getGeneratedDecision, getGeneratedDraft } from '../store/generatedStore';
import { exportRunTrace } from '../telemetry/runTraceExport';
import type { ActivityDeps } from './deps';

/**
 * The last step of an evolution and of a generation: its trace, sent from what the store keeps
 * (the run's records for the root, its stored steps for the rest). Returns at once when tracing
 * is off.
 */
export function createRunTraceActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    async exportEvolutionTrace(run: RunEnded): Promise<void> {
      if (!deps.tracing) return;
      const experiment = await getExperiment(db, experimentIdFor(run.id));
      const decision = experiment?.decision;
      await exportRunTrace(deps.tracing, db, {
        runId: evolveWorkflowId(run.id),
        name: `evolution: ${experiment?.component ?? run.id}`,
        startedAt: run.startedAt,
        attributes: {
          'evoscope.evolution.id': run.id,
          ...(experiment ? { 'evoscope.component': experiment.component, 'evoscope.experiment.status': experiment.status } : {}),
          ...(decision ? { 'evoscope.decision.outcome': decision.outcome } : {}),
        },
        error: experiment?.status === 'failed' ? (decision?.reason ?? 'the evolution failed') : null,
      });
    },

    async exportGenerationTrace(run: RunEnded): Promise<void> {
      if (!deps.tracing) return;
      const [draft, decision] = await Promise.all([getGeneratedDraft(db, run.id), getGeneratedDecision(db, run.id)]);
      await exportRunTrace(deps.tracing, db, {
        runId: generationWorkflowId(run.id),
        name: `tool generation: ${draft?.name ?? draft?.request.slice(0, 80) ?? run.id}`,
        startedAt: run.startedAt,
        attributes: {
          'evoscope.generation.id': run.id,
          ...(draft?.model ? { 'gen_ai.request.model': draft.model } : {}),
          ...(draft?.name ? { 'evoscope.component': draft.name } : {}),
          ...(decision ? { 'evoscope.decision.outcome': decision.outcome } : {}),
        },
        error: decision ? null : 'the generation ended without a decision',
      });
    },
  };
}
