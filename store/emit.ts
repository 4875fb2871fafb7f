import type { Db } from 'mongodb';
import { ChatEventData, chatStream, ExecutionEventData, executionStream, META_STREAM, MetaEventData } from '../domain/events';
import { appendEvents } from './eventLog';

/** One event of a session, for `emitSessionEvents`: on its chat or its execution stream. */
export type SessionEvent =
  { stream: 'chat'; key: string; data: ChatEventData } | { stream: 'execution'; key: string; data: ExecutionEventData };

/**
 * Events of one session stored together (each stream's in the given order): one insert per
 * stream and one wake-up. Validated when sent (and again when received by the web client).
 */
export async function emitSessionEvents(db: Db, sessionId: string, events: SessionEvent[]): Promise<void> {
  await appendEvents(
    db,
    events.map((event) =>
      event.stream === 'chat'
        ? { stream: chatStream(sessionId), key: event.key, data: ChatEventData.parse(event.data) }
        : { stream: executionStream(sessionId), key: event.key, data: ExecutionEventData.parse(event.data) },
    ),
  );
}

export const emitChatEvent = (db: Db, sessionId: string, key: string, data: ChatEventData): Promise<void> =>
  emitSessionEvents(db, sessionId, [{ stream: 'chat', key, data }]);

export const emitExecutionEvent = (db: Db, sessionId: string, key: string, data: ExecutionEventData): Promise<void> =>
  emitSessionEvents(db, sessionId, [{ stream: 'execution', key, data }]);

/** Store first, then push: every meta event is validated against the catalog. */
export async function emitMetaEvent(db: Db, key: string, data: MetaEventData): Promise<void> {
  await appendEvents(db, [{ stream: META_STREAM, key, data: MetaEventData.parse(data) }]);
}
