import type { Db } from 'mongodb';
import type { PredictionRecord } from '../domain/evolution';
import { emitMetaEvent } from './emit';
import { PredictionOutcome, settlePrediction } from './predictionStore';

/**
 * Settles a prediction's run and announces it (`prediction_settled`), once per run: the
 * evolution that carried it out writes it as it ends, and the API writes it for an evolution
 * whose workflow ended without a word (terminated). Whichever comes first is kept (the run is
 * settled only while open; the event is keyed by the experiment).
 */
export async function recordPredictionSettled(
  db: Db,
  predictionId: string,
  experimentId: string,
  outcome: PredictionOutcome,
): Promise<PredictionRecord | null> {
  const settled = await settlePrediction(db, predictionId, experimentId, outcome);
  await emitMetaEvent(db, `${experimentId}:prediction_settled`, {
    type: 'prediction_settled',
    prediction_id: predictionId,
    component: settled?.component,
    experiment_id: experimentId,
    actual_improvement: settled?.experiment_id === experimentId ? settled.actual_improvement : outcome.actualImprovement,
    failure: settled?.experiment_id === experimentId ? settled.failure : outcome.failure,
  });
  return settled;
}
