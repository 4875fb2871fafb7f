/**
 * The turn's assistant message, which three steps may write (the streamed answer, a failure, an
 * early stop): its id is fixed by the turn, so whichever writes first makes it and the others
 * find it; each write is stored before it is announced.
 */
import { chatMessage, type ChatMessage, type MessageRecord } from '../../domain/chat';
import type { TurnContext } from '../../domain/turnContracts';
import type { SessionEvent } from '../../store/emit';
import { addMessageToNode } from '../../store/graphStore';
import { getMessage, insertMessageOnce, linkMessageToNode } from '../../store/messageStore';
import type { ActivityDeps } from '../deps';

export const assistantMessageId = (turnId: string) => `${turnId}:assistant`;

/** What a step says in the assistant message; the rest follows from the turn. */
export type AssistantMessageDraft = Pick<MessageRecord, 'content' | 'status' | 'model' | 'error'>;

/**
 * Stores the turn's assistant message once, written by node `nodeId` when a node writes it (the
 * message and the node then point at each other). Returns it as stored: as given when this call
 * inserted it, else the one stored first (linked to the node).
 */
export async function storeAssistantMessage(
  deps: ActivityDeps,
  ctx: TurnContext,
  draft: AssistantMessageDraft,
  nodeId?: string,
): Promise<ChatMessage> {
  const full: MessageRecord = {
    ...draft,
    id: assistantMessageId(ctx.turnId),
    session_id: ctx.sessionId,
    turn_id: ctx.turnId,
    role: 'assistant',
    timestamp: new Date().toISOString(),
    node_ids: nodeId ? [nodeId] : [],
  };
  const inserted = await insertMessageOnce(deps.db, full);
  if (nodeId) {
    if (!inserted) await linkMessageToNode(deps.db, full.id, nodeId);
    await addMessageToNode(deps.db, nodeId, full.id);
  }
  return inserted ? chatMessage(full) : (await getMessage(deps.db, full.id))!;
}

/** The announcement of a stored message. */
export const messageCreated = (message: ChatMessage): SessionEvent => ({
  stream: 'chat',
  key: `${message.id}:created`,
  data: { type: 'message_created', message },
});

/** A message and the node that wrote it, each pointing at the other. */
export async function linkNodeAndMessage(deps: ActivityDeps, nodeId: string, messageId: string) {
  await linkMessageToNode(deps.db, messageId, nodeId);
  await addMessageToNode(deps.db, nodeId, messageId);
}
