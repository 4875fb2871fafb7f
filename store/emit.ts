import type { Db } from 'mongodb';
import { ChatEventData, chatStream, ExecutionEventData, executionStream, META_STREAM, MetaEventData } from '../domain/events';
import { appendEvent } from './eventLog';

/** Events are validated when sent (and again when received by the web client). */
export async function emitChatEvent(db: Db, sessionId: string, key: string, data: ChatEventData): Promise<void> {
  await appendEvent(db, chatStream(sessionId), key, ChatEventData.parse(data));
}

export async function emitExecutionEvent(db: Db, sessionId: string, key: string, data: ExecutionEventData): Promise<void> {
  await appendEvent(db, executionStream(sessionId), key, ExecutionEventData.parse(data));
}

/** Store first, then push: every meta event is validated against the catalog. */
export async function emitMetaEvent(db: Db, key: string, data: MetaEventData): Promise<void> {
  await appendEvent(db, META_STREAM, key, MetaEventData.parse(data));
}
