import type { Db } from 'mongodb';
import { chatMessage, type ChatMessage, type MessagePage, type MessageRecord } from '../domain/chat';
import { collections, insertOnce, MessageDoc } from './collections';
import { decodeFields, encodeFields } from './documentCodec';
import { countMessage } from './sessionCounters';

function toMessage(doc: MessageDoc): ChatMessage {
  const { _id, seq_in_session: _seq, ...message } = decodeFields(doc);
  return chatMessage(message);
}

/**
 * Inserts the message once; a second call with the same id stores nothing and returns false.
 * Either way the message is then counted on its session (idempotent: sessionCounters.ts), so a
 * repeated call also heals a count that a crash after the insert left out.
 * `seq_in_session` orders history (timestamps can tie).
 */
export async function insertMessageOnce(db: Db, message: MessageRecord): Promise<boolean> {
  const { messages } = collections(db);
  const doc: MessageDoc = { _id: message.id, ...message, seq_in_session: Date.now() * 1000 + (process.hrtime()[1] % 1000) };
  const inserted = await insertOnce(messages, doc);
  await countMessage(db, message);
  return inserted;
}

export async function getMessage(db: Db, id: string): Promise<ChatMessage | null> {
  const doc = await collections(db).messages.findOne({ _id: id });
  return doc ? toMessage(doc) : null;
}

export async function updateMessage(
  db: Db,
  id: string,
  patch: Partial<Pick<MessageRecord, 'content' | 'status' | 'node_ids' | 'model' | 'error'>>,
): Promise<ChatMessage | null> {
  const doc = await collections(db).messages.findOneAndUpdate(
    { _id: id },
    { $set: encodeFields(patch) },
    { returnDocument: 'after' },
  );
  return doc ? toMessage(doc) : null;
}

export async function linkMessageToNode(db: Db, messageId: string, nodeId: string): Promise<void> {
  await collections(db).messages.updateOne({ _id: messageId }, { $addToSet: { node_ids: nodeId } });
}

/** Newest `limit` messages before `beforeId` (or the newest overall), returned oldest → newest. */
export async function listMessages(db: Db, sessionId: string, limit: number, beforeId?: string): Promise<MessagePage> {
  const { messages } = collections(db);
  const filter: Record<string, unknown> = { session_id: sessionId };
  if (beforeId) {
    const anchor = await messages.findOne({ _id: beforeId, session_id: sessionId });
    if (!anchor) return { messages: [], has_more: false };
    filter.seq_in_session = { $lt: anchor.seq_in_session };
  }
  const docs = await messages
    .find(filter)
    .sort({ seq_in_session: -1 })
    .limit(limit + 1)
    .toArray();
  const page = docs.slice(0, limit).reverse();
  return { messages: page.map(toMessage), has_more: docs.length > limit };
}

/** Recent conversation for the model's context, oldest → newest. */
export async function recentHistory(db: Db, sessionId: string, limit: number): Promise<ChatMessage[]> {
  return (await listMessages(db, sessionId, limit)).messages;
}
