import { z } from 'zod';
import { AcceptInput, AnswerInput, GeneratedTool, GenerateInput, GenerationStarted } from '../../domain/generation';
import { listPageQuery, queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** Generated tools: request one, read them, accept (or edit) a draft's suite, approve or reject it. */
export const generationRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/meta/generated-tools',
    summary: 'Generated tools (drafted by the configured model), newest first, at most 500 a page',
    tag: 'meta',
    query: listPageQuery('generated tools', 500, 'the id of the last generation of this one'),
    status: 200,
    response: z.object({ generated_tools: z.array(GeneratedTool) }),
    handle: async ({ query }, { generation }) => ({
      generated_tools: await generation.list(queryNumber(query.limit), query.after),
    }),
  }),
  declareRoute({
    method: 'post',
    path: '/api/meta/generated-tools',
    summary: 'Ask the configured model for a tool (a request, or the unserved-requests prediction)',
    tag: 'meta',
    body: GenerateInput,
    status: 202,
    response: GenerationStarted,
    handle: ({ body }, { generation }) => generation.generate(body),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/generated-tools/{generation_id}',
    summary: 'One generated tool',
    tag: 'meta',
    status: 200,
    response: GeneratedTool,
    handle: ({ params }, { generation }) => generation.get(params.generation_id),
  }),
  declareRoute({
    method: 'post',
    path: '/api/meta/generated-tools/{generation_id}/accept-suite',
    summary: "Accept (or edit) a draft's suite",
    tag: 'meta',
    body: AcceptInput,
    status: 200,
    response: GeneratedTool,
    handle: ({ params, body }, { generation }) => generation.acceptSuite(params.generation_id, body),
  }),
  declareRoute({
    method: 'post',
    path: '/api/meta/generated-tools/{generation_id}/approve',
    summary: 'Approve a tested draft',
    tag: 'meta',
    body: AnswerInput,
    status: 200,
    response: GeneratedTool,
    handle: ({ params, body }, { generation }) => generation.answer(params.generation_id, body, true),
  }),
  declareRoute({
    method: 'post',
    path: '/api/meta/generated-tools/{generation_id}/reject',
    summary: 'Reject a draft',
    tag: 'meta',
    body: AnswerInput,
    status: 200,
    response: GeneratedTool,
    handle: ({ params, body }, { generation }) => generation.answer(params.generation_id, body, false),
  }),
];
