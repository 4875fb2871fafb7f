import { z } from 'zod';
import { ExperimentStarted, Prediction } from '../../domain/meta';
import { declareRoute } from './routeDeclaration';

/** The system's suggested changes, and carrying one out. */
export const predictionRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/system/predictions',
    summary: "The system's suggested changes",
    tag: 'system',
    spec: true,
    status: 200,
    response: z.object({ predictions: z.array(Prediction) }),
    handle: async (_req, { evolution }) => ({ predictions: await evolution.predictions() }),
  }),
  declareRoute({
    method: 'post',
    path: '/api/system/predictions/{prediction_id}/execute',
    summary: 'Carry one out (starts an experiment)',
    tag: 'system',
    spec: true,
    status: 202,
    response: ExperimentStarted,
    handle: ({ params }, { evolution }) => evolution.executePrediction(params.prediction_id),
  }),
];
