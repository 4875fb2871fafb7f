import { z } from 'zod';
import { DecisionInput, Experiment, ExperimentCreate, ExperimentStarted } from '../../domain/meta';
import { listPageQuery, queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** The contract's sandbox routes: A/B experiments, created and held for a person's approve or reject. */
export const experimentRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/sandbox/experiments',
    summary: 'The experiments, newest first, at most 500 a page',
    tag: 'sandbox',
    query: listPageQuery('experiments', 200, 'the id of the last experiment of this one'),
    status: 200,
    response: z.object({ experiments: z.array(Experiment) }),
    handle: async ({ query }, { evolution }) => ({
      experiments: await evolution.experiments(queryNumber(query.limit), query.after),
    }),
  }),
  declareRoute({
    method: 'post',
    path: '/api/sandbox/experiments',
    summary: 'Create an A/B experiment',
    tag: 'sandbox',
    spec: true,
    body: ExperimentCreate,
    status: 202,
    response: ExperimentStarted,
    handle: ({ body }, { evolution }) => evolution.createExperiment(body),
  }),
  declareRoute({
    method: 'get',
    path: '/api/sandbox/experiments/{experiment_id}',
    summary: 'Its results',
    tag: 'sandbox',
    spec: true,
    status: 200,
    response: Experiment,
    handle: ({ params }, { evolution }) => evolution.experiment(params.experiment_id),
  }),
  declareRoute({
    method: 'post',
    path: '/api/sandbox/experiments/{experiment_id}/approve',
    summary: 'Accept its change',
    tag: 'sandbox',
    spec: true,
    body: DecisionInput.optional(),
    status: 200,
    response: Experiment,
    handle: ({ params, body }, { evolution }) => evolution.approve(params.experiment_id, body),
  }),
  declareRoute({
    method: 'post',
    path: '/api/sandbox/experiments/{experiment_id}/reject',
    summary: 'Refuse its change',
    tag: 'sandbox',
    spec: true,
    body: DecisionInput.optional(),
    status: 200,
    response: Experiment,
    handle: ({ params, body }, { evolution }) => evolution.reject(params.experiment_id, body),
  }),
];
