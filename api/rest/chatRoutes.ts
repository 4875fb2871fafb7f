import { Router } from 'express';
import type { ChatService } from '../services/chatService';
import { notFound } from '../errors';
import { handle } from './handle';

/** The contract's chat and execution routes; the same service code as GraphQL. */
export function chatRoutes(chat: ChatService): Router {
  const r = Router();
  r.get(
    '/chat/sessions',
    handle(200, () => chat.listSessions()),
  );
  r.post(
    '/chat/sessions',
    handle(201, (req) => chat.createSession(req.body ?? {})),
  );
  r.get(
    '/chat/:session_id/messages',
    handle(200, (req) =>
      chat.listMessages(
        req.params.session_id,
        req.query.before,
        req.query.limit === undefined ? undefined : Number(req.query.limit),
      ),
    ),
  );
  r.post(
    '/chat/:session_id/message',
    handle(202, (req) => chat.sendMessage(req.params.session_id, req.body)),
  );
  r.post(
    '/chat/:session_id/stop',
    handle(202, async (req) => ({ stopped_turns: await chat.stopGeneration(req.params.session_id) })),
  );
  r.get(
    '/execution/:session_id/graph',
    handle(200, (req) => chat.getGraph(req.params.session_id)),
  );
  r.get(
    '/execution/:session_id/node/:node_id',
    handle(200, async (req) => {
      const node = await chat.getNode(req.params.session_id, req.params.node_id);
      if (!node) throw notFound(`node ${String(req.params.node_id)}`);
      return node;
    }),
  );
  r.put(
    '/execution/:session_id/node/:node_id/position',
    handle(200, (req) => chat.moveNode(req.params.session_id, req.params.node_id, req.body)),
  );
  r.post(
    '/execution/:session_id/replay/:node_id',
    handle(202, (req) => chat.replayNode(req.params.session_id, req.params.node_id)),
  );
  return r;
}
