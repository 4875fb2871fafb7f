import { z } from 'zod';
import { ComponentDiff, ComponentHistory, ComponentVersionWithCode, RollbackResult } from '../../domain/componentHistory';
import { Component, DecisionInput } from '../../domain/meta';
import { listPageQuery, queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** An empty or absent JSON body means "no options". */
const hasFields = (body: unknown): body is object => typeof body === 'object' && body !== null && Object.keys(body).length > 0;

/** The contract's component routes: the components, one's history, a version's code, a diff, a rollback. */
export const componentRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/meta/components',
    summary: 'The components with their versions, by name, at most 500 a page',
    tag: 'meta',
    spec: true,
    query: listPageQuery('components', 500, 'the id of the last component of this one'),
    status: 200,
    response: z.object({ components: z.array(Component) }),
    handle: async ({ query }, { evolution }) => ({
      components: await evolution.listComponents(queryNumber(query.limit), query.after),
    }),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/components/{component_id}',
    summary: "One component's history",
    tag: 'meta',
    spec: true,
    status: 200,
    response: ComponentHistory,
    handle: ({ params }, { evolution }) => evolution.componentHistory(params.component_id),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/components/{component_id}/versions/{version}',
    summary: 'One version with its code',
    tag: 'meta',
    status: 200,
    response: ComponentVersionWithCode,
    handle: ({ params }, { evolution }) => evolution.componentVersion(params.component_id, params.version),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/components/{component_id}/diff/{version_a}/{version_b}',
    summary: 'Diff between two versions',
    tag: 'meta',
    spec: true,
    query: z.object({ context: z.string().optional().describe('unchanged lines around each change, or "all"') }),
    status: 200,
    response: ComponentDiff,
    handle: ({ params, query }, { evolution }) =>
      evolution.diff(params.component_id, params.version_a, params.version_b, query.context),
  }),
  declareRoute({
    method: 'post',
    path: '/api/meta/components/{component_id}/rollback/{version}',
    summary:
      'Make that version current again. A version never current passes the promotion rules: 409 if they never promote it, 400 without a `reason` if they leave it to a person',
    tag: 'meta',
    spec: true,
    body: DecisionInput.optional(),
    status: 200,
    response: RollbackResult,
    handle: ({ params, body }, { evolution }) =>
      evolution.rollback(params.component_id, params.version, hasFields(body) ? body : undefined),
  }),
];
