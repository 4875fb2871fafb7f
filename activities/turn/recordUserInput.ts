/**
 * The turn's first step: the person's message, stored (if the API has not yet) and announced,
 * and the user_input node every later node of the turn hangs under.
 */
import type { Db } from 'mongodb';
import { chatMessage, type ChatMessage, type MessageRecord } from '../../domain/chat';
import type { TurnContext, UserInput } from '../../domain/turnContracts';
import { userInputNodeId } from '../../domain/workflowContracts';
import { holdSessionEvents } from '../../store/emit';
import { getMessage, insertMessageOnce } from '../../store/messageStore';
import { recordTurnStarted } from '../../store/turnStore';
import { observeTurnStarted } from '../../metrics/workerMetrics';
import type { ActivityDeps } from '../deps';
import { runAsNode } from '../nodeLifecycle';
import { linkNodeAndMessage } from './assistantMessage';

/** Inserts (or, stored already, counts) the message; returns it as stored. */
async function insertUserMessage(db: Db, message: MessageRecord, found: ChatMessage | null): Promise<ChatMessage> {
  if (await insertMessageOnce(db, message)) return chatMessage(message);
  return found ?? (await getMessage(db, message.id))!;
}

export function createUserInputActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** Records the user's message (if the API has not yet) and the turn's first node. */
    async recordUserInput(input: UserInput): Promise<string> {
      const ctx: TurnContext = input;
      const started_at = input.startedAt ?? new Date().toISOString();
      const recorded = await recordTurnStarted(db, {
        _id: ctx.turnId,
        session_id: ctx.sessionId,
        workflow_id: ctx.workflowId,
        kind: 'chat_turn',
        started_at,
      });
      if (recorded) observeTurnStarted(Date.parse(started_at));
      const message: MessageRecord = {
        id: input.userMessageId,
        session_id: ctx.sessionId,
        role: 'user',
        content: input.content,
        timestamp: new Date().toISOString(),
        status: 'complete',
        node_ids: [],
        turn_id: ctx.turnId,
        model: null,
        error: null,
      };
      const nodeId = userInputNodeId(ctx.turnId);
      // The API stores the message, linked to this node, and counts it before it starts the turn:
      // looked up first, so that costs one read. Found unlinked, an earlier attempt of this step
      // stored it and may have stopped before counting it: the insert attempt counts it.
      const found = await getMessage(db, message.id);
      const stored = found?.node_ids.includes(nodeId) ? found : await insertUserMessage(db, message, found);
      // Announced with the node's start (one append for both).
      await holdSessionEvents(db, ctx.sessionId, [
        { stream: 'chat', key: `${message.id}:created`, data: { type: 'message_created', message: stored } },
      ]);
      await runAsNode(
        deps,
        ctx,
        { id: nodeId, type: 'user_input', label: 'User message', parentId: null, input: { content: input.content } },
        async () => {
          await linkNodeAndMessage(deps, nodeId, message.id);
          return { message_id: message.id, content: input.content };
        },
      );
      return nodeId;
    },
  };
}
