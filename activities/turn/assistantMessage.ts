/**
 * The turn's assistant message, which three steps may write (the streamed answer, a failure, an
 * early stop): its id is fixed by the turn, so whichever writes first makes it and the others
 * find it; each write is stored before it is announced.
 */
import { chatMessage, type MessageRecord } from '../../domain/chat';
import type { TurnContext } from '../../domain/turnContracts';
import { emitChatEvent } from '../../store/emit';
import { addMessageToNode } from '../../store/graphStore';
import { getMessage, insertMessageOnce, linkMessageToNode } from '../../store/messageStore';
import type { ActivityDeps } from '../deps';

export const assistantMessageId = (turnId: string) => `${turnId}:assistant`;

/** Stores an assistant message once and announces it. */
export async function postAssistantMessage(
  deps: ActivityDeps,
  ctx: TurnContext,
  message: Omit<MessageRecord, 'session_id' | 'turn_id' | 'role' | 'timestamp'>,
) {
  const full: MessageRecord = {
    ...message,
    session_id: ctx.sessionId,
    turn_id: ctx.turnId,
    role: 'assistant',
    timestamp: new Date().toISOString(),
  };
  // Stored as given when this call inserted it; else the one stored first.
  const stored = (await insertMessageOnce(deps.db, full)) ? chatMessage(full) : (await getMessage(deps.db, full.id))!;
  await emitChatEvent(deps.db, ctx.sessionId, `${full.id}:created`, { type: 'message_created', message: stored });
  return stored;
}

/** A message and the node that wrote it, each pointing at the other. */
export async function linkNodeAndMessage(deps: ActivityDeps, nodeId: string, messageId: string) {
  await linkMessageToNode(deps.db, messageId, nodeId);
  await addMessageToNode(deps.db, nodeId, messageId);
}
