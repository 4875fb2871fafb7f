import { z } from 'zod';
import { ChatSession, CreateSessionInput, MessagePage, SendMessageInput, SendMessageResult } from '../../domain/chat';
import { listPageQuery, queryNumber } from './listPageQuery';
import { declareRoute } from './routeDeclaration';

/** The contract's chat routes; the same service code as GraphQL. */
export const chatRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/chat/sessions',
    summary: 'Chat sessions, newest first (lists carry no messages), at most 500 a page',
    tag: 'chat',
    spec: true,
    query: listPageQuery('sessions', 500, '`updated_at|id` of the last session of this one'),
    status: 200,
    response: z.array(ChatSession),
    handle: ({ query }, { chat }) => chat.listSessions(queryNumber(query.limit), query.after),
  }),
  declareRoute({
    method: 'post',
    path: '/api/chat/sessions',
    summary: 'Create a session',
    tag: 'chat',
    spec: true,
    body: CreateSessionInput,
    status: 201,
    response: ChatSession,
    handle: ({ body }, { chat }) => chat.createSession(body ?? {}),
  }),
  declareRoute({
    method: 'get',
    path: '/api/chat/{session_id}/messages',
    summary: 'A page of messages, oldest → newest',
    tag: 'chat',
    query: z.object({ before: z.string().optional(), limit: z.string().optional() }),
    status: 200,
    response: MessagePage,
    handle: ({ params, query }, { chat }) => chat.listMessages(params.session_id, query.before, queryNumber(query.limit)),
  }),
  declareRoute({
    method: 'post',
    path: '/api/chat/{session_id}/message',
    summary: 'Send a message; starts a run',
    tag: 'chat',
    spec: true,
    body: SendMessageInput,
    status: 202,
    response: SendMessageResult,
    handle: ({ params, body }, { chat }) => chat.sendMessage(params.session_id, body),
  }),
  declareRoute({
    method: 'post',
    path: '/api/chat/{session_id}/stop',
    summary: 'Stop the current generation',
    tag: 'chat',
    spec: true,
    status: 202,
    response: z.object({ stopped_turns: z.number().int() }),
    handle: async ({ params }, { chat }) => ({ stopped_turns: await chat.stopGeneration(params.session_id) }),
  }),
];
