/** Executed predictions as points of predicted against actual improvement (the held-out effect measured). Pure. */
import type { PredictionView } from '../api/evolutionDocuments';

export interface PredictionPoint {
  id: string;
  title: string;
  component: string;
  predicted: number;
  actual: number;
  experimentId: string | null;
}

export const executedPredictions = (predictions: readonly PredictionView[]): PredictionPoint[] =>
  predictions.flatMap((p) =>
    p.status === 'done' && p.actual_improvement !== null
      ? [
          {
            id: p.id,
            title: p.title,
            component: p.component,
            predicted: p.expected_improvement,
            actual: p.actual_improvement,
            experimentId: p.experiment_id,
          },
        ]
      : [],
  );

/** Both axes over one range that holds every point and zero, so the diagonal (a perfect prediction) is y = x. */
export function sharedDomain(points: readonly PredictionPoint[]): [number, number] {
  const values = points.flatMap((p) => [p.predicted, p.actual]);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const pad = (high - low || 1) * 0.08;
  return [low - pad, high + pad];
}
