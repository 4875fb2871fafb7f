import type { Db } from 'mongodb';
import type { ChatSession } from '../domain/chat';
import { executionGraphId } from '../domain/execution';
import { collections, insertOnce, SessionDoc } from './collections';
import { countsOf, type Counts } from './sessionCounters';

/**
 * A session is three kinds of record:
 * - its document: title, created_at, updated_at (when created or renamed) from the person's own
 *   create and rename requests (a rename replaces one whole value: last one wins), and the
 *   message counters every message insert attempt updates atomically (`message_count`, the
 *   newest message's time: sessionCounters.ts), so lists and lookups read no messages;
 * - its deletion, an insert-only tombstone (a rename racing a delete cannot bring it back);
 * - its messages (messageStore.ts).
 */
const MAX_LISTED = 500;
/** A session read without the ids that keep its counting idempotent. */
const WITHOUT_COUNTED_IDS = { projection: { recent_message_ids: 0 } } as const;

function toSession({ id, title, created_at, updated_at }: SessionDoc, counts: Counts | undefined): ChatSession {
  const last = counts?.last && counts.last > updated_at ? counts.last : updated_at;
  // Lists carry no messages (see ChatSession.messages); every session has its one graph.
  return {
    id,
    title,
    created_at,
    updated_at: last,
    message_count: counts?.count ?? 0,
    messages: [],
    execution_graph_id: executionGraphId(id),
  };
}

/** Deleted: a tombstone, or (stored before tombstones) the document's own flag. */
async function isDeleted(db: Db, doc: SessionDoc): Promise<boolean> {
  return (
    doc.deleted === true ||
    (await collections(db).sessionDeletions.findOne({ _id: doc._id }, { projection: { _id: 1 } })) !== null
  );
}

export async function createSession(db: Db, id: string, title: string): Promise<ChatSession> {
  const now = new Date().toISOString();
  const doc: SessionDoc = { _id: id, id, title, created_at: now, updated_at: now, message_count: 0, counts_complete: true };
  await collections(db).sessions.insertOne(doc);
  return toSession(doc, undefined);
}

/** Where a page of sessions ends: the last one's `updated_at|id` (the list's own order). */
export const sessionCursor = (session: Pick<ChatSession, 'updated_at' | 'id'>) => `${session.updated_at}|${session.id}`;

/** Newest activity first, ties by id: the order pages follow. */
const listOrder = (a: Pick<ChatSession, 'updated_at' | 'id'>, b: Pick<ChatSession, 'updated_at' | 'id'>) =>
  a.updated_at !== b.updated_at ? (a.updated_at < b.updated_at ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function cursorSession(cursor: string): Pick<ChatSession, 'updated_at' | 'id'> {
  const bar = cursor.indexOf('|');
  return { updated_at: cursor.slice(0, bar), id: cursor.slice(bar + 1) };
}

export interface SessionPage {
  /** At most this many (and never more than MAX_LISTED). */
  limit?: number;
  /** A `sessionCursor`: only the sessions after it in the list's order. */
  after?: string;
}

export async function listSessions(db: Db, page: SessionPage = {}): Promise<ChatSession[]> {
  const { sessions, sessionDeletions } = collections(db);
  const [docs, deletions] = await Promise.all([
    sessions.find({ deleted: { $ne: true } }, WITHOUT_COUNTED_IDS).toArray(),
    sessionDeletions.find({}, { projection: { _id: 1 } }).toArray(),
  ]);
  const deleted = new Set(deletions.map((d) => d._id));
  const live = docs.filter((d) => !deleted.has(d._id));
  const counts = await countsOf(db, live);
  const listed = live.map((d) => toSession(d, counts.get(d._id))).sort(listOrder);
  const after = page.after === undefined ? null : cursorSession(page.after);
  const rest = after === null ? listed : listed.filter((session) => listOrder(session, after) > 0);
  return rest.slice(0, Math.min(page.limit ?? MAX_LISTED, MAX_LISTED));
}

/** Whether the session exists and is not deleted (two lookups by `_id`: cheap on every request). */
export async function sessionExists(db: Db, id: string): Promise<boolean> {
  const doc = await collections(db).sessions.findOne({ _id: id }, WITHOUT_COUNTED_IDS);
  return doc !== null && !(await isDeleted(db, doc));
}

export async function getSession(db: Db, id: string): Promise<ChatSession | null> {
  const doc = await collections(db).sessions.findOne({ _id: id }, WITHOUT_COUNTED_IDS);
  if (!doc || (await isDeleted(db, doc))) return null;
  return toSession(doc, (await countsOf(db, [doc])).get(id));
}

export async function renameSession(db: Db, id: string, title: string): Promise<ChatSession | null> {
  if (!(await sessionExists(db, id))) return null;
  await collections(db).sessions.updateOne({ _id: id }, { $set: { title, updated_at: new Date().toISOString() } });
  return getSession(db, id);
}

/** Soft delete: runs that still reference the session keep working; it just leaves every list. */
export async function deleteSession(db: Db, id: string): Promise<boolean> {
  if (!(await sessionExists(db, id))) return false;
  return insertOnce(collections(db).sessionDeletions, { _id: id, at: new Date().toISOString() });
}
