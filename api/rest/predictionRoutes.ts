import { z } from 'zod';
import { ExperimentStarted, Prediction } from '../../domain/meta';
import { listPageQuery, queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** The system's suggested changes, and carrying one out. */
export const predictionRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/system/predictions',
    summary: "The system's suggested changes, highest priority first, at most 500 a page",
    tag: 'system',
    spec: true,
    query: listPageQuery('predictions', 500, 'the id of the last prediction of this one'),
    status: 200,
    response: z.object({ predictions: z.array(Prediction) }),
    handle: async ({ query }, { evolution }) => ({
      predictions: await evolution.predictions(queryNumber(query.limit), query.after),
    }),
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
