import { evolveWorkflowId } from '../../domain/evolution';
import { emitMetaEvent } from '../../store/emit';
import { ExperimentDoc, failUnfinishedExperiment } from '../../store/evolutionStore';
import { recordPredictionSettled } from '../../store/predictionSettled';
import { openPredictionRuns, PredictionRunDoc } from '../../store/predictionStore';
import { readAutonomyLevel } from '../../store/settingsStore';
import type { ApiDeps } from '../deps';
import { workflowEnd } from './workflowEnd';

/**
 * What a workflow cannot record itself. An evolution records how it ended, failed or cancelled
 * included; a terminated one (or one whose history is gone) ends without a word, and its
 * prediction would say "executing" and its experiment "running" for ever, the prediction refused
 * with 409 whenever someone executes it again. So the API, when it lists predictions, when
 * executing one finds it claimed, and when it reads an unfinished experiment, compares the record
 * with Temporal's description of its workflow, and records the end of one that has closed with
 * Temporal's status as the reason (the workflow's own record, if it comes first, is kept).
 */

/** How many open runs one call settles (each a Temporal describe); the oldest first, the rest on later calls. */
const SETTLED_PER_CALL = 8;

export function createEvolutionReconciler({ db, temporal }: Pick<ApiDeps, 'db' | 'temporal'>) {
  async function failExperiment(experiment: Pick<ExperimentDoc, '_id' | 'component'>, reason: string): Promise<void> {
    const autonomyLevel = await readAutonomyLevel(db);
    const decision = {
      action: 'reject',
      outcome: 'not_promoted',
      reason,
      decided_by: 'system',
      autonomy_level: autonomyLevel,
    } as const;
    if (!(await failUnfinishedExperiment(db, experiment._id, { ...decision, at: new Date().toISOString() }))) return;
    await emitMetaEvent(db, `${experiment._id}:decision:ended-outside-workflow`, {
      type: 'experiment_decided',
      experiment_id: experiment._id,
      component: experiment.component,
      ...decision,
    });
  }

  async function settleRun(run: PredictionRunDoc): Promise<void> {
    const ended = await workflowEnd(temporal, evolveWorkflowId(run.experiment_id), run.started_at);
    if (ended === null) return;
    const failure = `the evolution did not record how it ended: ${ended}`;
    const settled = await recordPredictionSettled(db, run.prediction_id, run.experiment_id, { actualImprovement: null, failure });
    if (settled) await failExperiment({ _id: run.experiment_id, component: settled.component }, failure);
  }

  return {
    /**
     * Settles the open runs (of one prediction, or of all) whose evolution's workflow has closed.
     * Only a run still open (its prediction executing) asks Temporal, and at most
     * SETTLED_PER_CALL of them, oldest first: a list request asks Temporal a bounded number of times.
     */
    async settleEndedRuns(predictionId?: string): Promise<void> {
      await Promise.all((await openPredictionRuns(db, SETTLED_PER_CALL, predictionId)).map(settleRun));
    },

    /** An experiment stored as running or awaiting approval whose workflow has closed is recorded as failed; true if it was. */
    async settleEndedExperiment(experiment: ExperimentDoc): Promise<boolean> {
      if (experiment.status !== 'running' && experiment.status !== 'awaiting_approval') return false;
      const ended = await workflowEnd(temporal, experiment.workflow_id, experiment.created_at);
      if (ended === null) return false;
      await failExperiment(experiment, `the experiment did not record how it ended: ${ended}`);
      return true;
    },
  };
}
