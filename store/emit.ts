import type { Db } from 'mongodb';
import { ChatEventData, chatStream, ExecutionEventData, executionStream, META_STREAM, MetaEventData } from '../domain/events';
import { appendEvents, type EventToAppend } from './eventLog';
import { holdEvents, insideHoldingScope, runHoldingScope, takeHeldEvents } from './heldEvents';

/**
 * How events are emitted: validated, then stored (store/eventLog.ts) and pushed to readers.
 *
 * Inside `withHeldEvents` (every activity: activities/index.ts), events given to
 * `holdSessionEvents` (a node's completion, the user message's announcement) are not stored alone: they go in front of the next
 * append of the same scope (the next node's start), or, at the latest, are stored when the scope
 * ends, returning or throwing, before the activity reports. Order per stream is emission order,
 * and keys are unchanged, so a retried activity that emits them again stores nothing twice.
 */

/** One event of a session, for `emitSessionEvents`: on its chat or its execution stream. */
export type SessionEvent =
  { stream: 'chat'; key: string; data: ChatEventData } | { stream: 'execution'; key: string; data: ExecutionEventData };

const toAppend = (sessionId: string, events: SessionEvent[]): EventToAppend[] =>
  events.map((event) =>
    event.stream === 'chat'
      ? { stream: chatStream(sessionId), key: event.key, data: ChatEventData.parse(event.data) }
      : { stream: executionStream(sessionId), key: event.key, data: ExecutionEventData.parse(event.data) },
  );

/** Stores `events` behind whatever this scope holds for `db`, in one append. */
const appendAfterHeld = (db: Db, events: EventToAppend[]): Promise<void> => appendEvents(db, [...takeHeldEvents(db), ...events]);

/**
 * Events of one session stored together (each stream's in the given order) in one append, with
 * the events held before them. Validated when sent (and again when received by the web client).
 */
export const emitSessionEvents = (db: Db, sessionId: string, events: SessionEvent[]): Promise<void> =>
  appendAfterHeld(db, toAppend(sessionId, events));

/** Like `emitSessionEvents`, but inside `withHeldEvents` held for the scope's next append (or its end). */
export async function holdSessionEvents(db: Db, sessionId: string, events: SessionEvent[]): Promise<void> {
  if (insideHoldingScope()) holdEvents(db, toAppend(sessionId, events));
  else await emitSessionEvents(db, sessionId, events);
}

/**
 * Runs `run` (an activity) in a scope that holds events (inside one already: in that one), and
 * stores what it still holds before returning or rethrowing. When `run` threw, a failure to store
 * them is dropped for its error: the activity fails either way and its retry emits them again.
 */
export async function withHeldEvents<T>(run: () => Promise<T>): Promise<T> {
  if (insideHoldingScope()) return run();
  const held = new Map<Db, EventToAppend[]>();
  const storeHeld = () => Promise.all([...held].map(([db, events]) => appendEvents(db, events)));
  let result: T;
  try {
    result = await runHoldingScope(held, run);
  } catch (err) {
    await storeHeld().catch(() => undefined);
    throw err;
  }
  await storeHeld();
  return result;
}

export const emitChatEvent = (db: Db, sessionId: string, key: string, data: ChatEventData): Promise<void> =>
  emitSessionEvents(db, sessionId, [{ stream: 'chat', key, data }]);

export const emitExecutionEvent = (db: Db, sessionId: string, key: string, data: ExecutionEventData): Promise<void> =>
  emitSessionEvents(db, sessionId, [{ stream: 'execution', key, data }]);

/** Store first, then push: every meta event is validated against the catalog. */
export async function emitMetaEvent(db: Db, key: string, data: MetaEventData): Promise<void> {
  await appendAfterHeld(db, [{ stream: META_STREAM, key, data: MetaEventData.parse(data) }]);
}
