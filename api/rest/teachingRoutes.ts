import { z } from 'zod';
import { FeedbackInput, FeedbackResult, TaughtCase } from '../../domain/teaching';
import { listPageQuery, queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** Marking answers (chat) and the taught suites they make (evolution); the same service as GraphQL. */
export const teachingRoutes = [
  declareRoute({
    method: 'post',
    path: '/api/chat/{session_id}/messages/{message_id}/feedback',
    summary: 'Mark an assistant answer right or wrong; a wrong mark teaches the components that decided wrongly',
    tag: 'chat',
    body: FeedbackInput,
    status: 201,
    response: FeedbackResult,
    handle: ({ params, body }, { teaching }) => teaching.markAnswer(params.session_id, params.message_id, body),
  }),
  declareRoute({
    method: 'get',
    path: '/api/meta/evolution/taught',
    summary:
      'The taught suites: the taught cases that are part of a suite, oldest first, with their split and who taught them from which turn, at most 500 a page',
    tag: 'meta',
    query: listPageQuery('taught cases', 500, 'the id of the last taught case of this one'),
    status: 200,
    response: z.object({ cases: z.array(TaughtCase) }),
    handle: async ({ query }, { teaching }) => ({ cases: await teaching.taughtCases(queryNumber(query.limit), query.after) }),
  }),
];
