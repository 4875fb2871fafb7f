import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CreateSessionInput, MessageRecord, MAX_TITLE_CHARS, SendMessageInput, SendMessageResult } from '../../domain/chat';
import { chatStream, executionStream } from '../../domain/events';
import { executionGraph, NodePositionInput, withSavedPosition } from '../../domain/execution';
import {
  CHAT_TURN_REVISION,
  CHAT_TURN_WORKFLOW_TASK_TIMEOUT,
  chatTurnWorkflowId,
  ChatTurnInput,
  REPLAYABLE_NODE_TYPES,
  replayWorkflowId,
  STOP_SIGNAL,
  userInputNodeId,
} from '../../domain/workflowContracts';
import { lastSeq } from '../../store/eventLog';
import { emitExecutionEvent } from '../../store/emit';
import { getGraphParts, getNode, saveNodePosition } from '../../store/graphStore';
import { insertMessageOnce, listMessages } from '../../store/messageStore';
import * as sessions from '../../store/sessionStore';
import { runningTurns } from '../../store/turnStore';
import type { ApiDeps } from '../deps';
import { Identifier } from '../../domain/identifier';
import { ApiError, notFound, parseInput } from '../errors';
import { withinTurnTrace } from '../../telemetry/traceContext';

const PageLimit = z.number().int().min(1).max(200).default(50);
const SessionPageLimit = z.number().int().min(1).max(500).default(500);
/** `updated_at|id` of the last session of the previous page (sessionStore.sessionCursor). */
const SessionCursor = z
  .string()
  .max(300)
  .regex(/^[^|]{1,40}\|[^|]{1,200}$/);
const Title = z.string().trim().min(1).max(MAX_TITLE_CHARS);

/** The chat and execution use cases, shared by REST, GraphQL and the WebSocket channels. */
export function createChatService(deps: ApiDeps) {
  const { db, temporal } = deps;

  async function requireSession(sessionId: unknown) {
    const id = parseInput(Identifier, sessionId);
    const session = await sessions.getSession(db, id);
    if (!session) throw notFound(`session ${id}`);
    return session;
  }

  /** The id of an existing session, without deriving its counts (every chat request checks this). */
  async function requireSessionId(sessionId: unknown): Promise<string> {
    const id = parseInput(Identifier, sessionId);
    if (!(await sessions.sessionExists(db, id))) throw notFound(`session ${id}`);
    return id;
  }

  return {
    listSessions: (limit?: unknown, after?: unknown) =>
      sessions.listSessions(db, {
        limit: parseInput(SessionPageLimit, limit ?? undefined),
        after: after == null ? undefined : parseInput(SessionCursor, after),
      }),
    getSession: async (id: unknown) => sessions.getSession(db, parseInput(Identifier, id)),
    requireSession,
    requireSessionId,

    async createSession(input: unknown) {
      const { title } = parseInput(CreateSessionInput, input ?? {});
      return sessions.createSession(db, randomUUID(), title ?? 'New chat');
    },

    async renameSession(id: unknown, title: unknown) {
      const renamed = await sessions.renameSession(db, parseInput(Identifier, id), parseInput(Title, title));
      if (!renamed) throw notFound(`session ${String(id)}`);
      return renamed;
    },

    async deleteSession(id: unknown) {
      return sessions.deleteSession(db, parseInput(Identifier, id));
    },

    async listMessages(sessionId: unknown, before: unknown, limit: unknown) {
      const session = { id: await requireSessionId(sessionId) };
      const beforeId = before == null ? undefined : parseInput(Identifier, before);
      return listMessages(db, session.id, parseInput(PageLimit, limit ?? undefined), beforeId);
    },

    /**
     * Stores the user's message, then starts its chat turn. The workflow id comes from
     * session + message, so a repeated submit (same client_message_id) starts no second run.
     */
    async sendMessage(sessionId: unknown, input: unknown): Promise<SendMessageResult> {
      const session = { id: await requireSessionId(sessionId) };
      const { content, client_message_id } = parseInput(SendMessageInput, input);
      const messageId = client_message_id ? `m-${client_message_id}` : `m-${randomUUID()}`;
      const turnId = `${session.id}:${messageId}`;
      const workflowId = chatTurnWorkflowId(session.id, messageId);
      const message: MessageRecord = {
        id: messageId,
        session_id: session.id,
        role: 'user',
        content,
        timestamp: new Date().toISOString(),
        status: 'complete',
        node_ids: [userInputNodeId(turnId)],
        turn_id: turnId,
        model: null,
        error: null,
      };
      await insertMessageOnce(db, message);
      const args: ChatTurnInput = {
        sessionId: session.id,
        turnId,
        userMessageId: messageId,
        content,
        stepExecution: deps.env.EVOSCOPE_TURN_STEPS,
        revision: CHAT_TURN_REVISION,
      };
      try {
        await withinTurnTrace(turnId, () =>
          temporal.workflow.start('chatTurn', {
            taskQueue: deps.env.EVOSCOPE_TASK_QUEUE,
            workflowId,
            args: [args],
            workflowTaskTimeout: CHAT_TURN_WORKFLOW_TASK_TIMEOUT,
          }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      return { message_id: messageId, node_id: userInputNodeId(turnId), turn_id: turnId };
    },

    /** Signals every running turn of the session; returns how many were signalled. */
    async stopGeneration(sessionId: unknown): Promise<number> {
      const session = { id: await requireSessionId(sessionId) };
      let signalled = 0;
      for (const turn of await runningTurns(db, session.id)) {
        try {
          await temporal.workflow.getHandle(turn.workflow_id).signal(STOP_SIGNAL);
          signalled++;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // already finished: nothing to stop
        }
      }
      return signalled;
    },

    async getGraph(sessionId: unknown, options = { payloads: true }) {
      const session = await requireSession(sessionId);
      const [parts, seq] = await Promise.all([getGraphParts(db, session.id, options), lastSeq(db, executionStream(session.id))]);
      return { ...executionGraph(session, parts.nodes, parts.edges), last_seq: seq };
    },

    async chatLastSeq(sessionId: unknown) {
      const session = { id: await requireSessionId(sessionId) };
      return lastSeq(db, chatStream(session.id));
    },

    async getNode(sessionId: unknown, nodeId: unknown) {
      const session = { id: await requireSessionId(sessionId) };
      return getNode(db, session.id, parseInput(Identifier, nodeId));
    },

    /** Saves where a person put a node (the console's drag); every console viewing the session follows. */
    async moveNode(sessionId: unknown, nodeId: unknown, position: unknown) {
      const session = { id: await requireSessionId(sessionId) };
      const to = parseInput(NodePositionInput, position);
      const node = await getNode(db, session.id, parseInput(Identifier, nodeId));
      if (!node) throw notFound(`node ${String(nodeId)}`);
      const saved = await saveNodePosition(db, session.id, node.id, to);
      await emitExecutionEvent(db, session.id, `moved:${node.id}:${randomUUID()}`, { type: 'node_moved', ...saved });
      return withSavedPosition(node, saved);
    },

    async replayNode(sessionId: unknown, nodeId: unknown) {
      const session = { id: await requireSessionId(sessionId) };
      const node = await getNode(db, session.id, parseInput(Identifier, nodeId));
      if (!node) throw notFound(`node ${String(nodeId)}`);
      if (!(REPLAYABLE_NODE_TYPES as readonly string[]).includes(node.type)) {
        throw new ApiError(
          400,
          'NOT_REPLAYABLE',
          `a ${node.type} node cannot be replayed (replayable: ${REPLAYABLE_NODE_TYPES.join(', ')})`,
        );
      }
      const replayId = `r-${randomUUID()}`;
      const workflowId = replayWorkflowId(session.id, node.id, replayId);
      await withinTurnTrace(replayId, () =>
        temporal.workflow.start('replayNode', {
          taskQueue: deps.env.EVOSCOPE_TASK_QUEUE,
          workflowId,
          args: [{ sessionId: session.id, nodeId: node.id, replayId }],
        }),
      );
      return { replay_id: replayId, workflow_id: workflowId };
    },

    /** For the WebSocket channels' initial state. */
    async chatHistory(sessionId: string) {
      return listMessages(db, sessionId, 200);
    },
  };
}
export type ChatService = ReturnType<typeof createChatService>;
