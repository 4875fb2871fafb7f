import type { Db } from 'mongodb';
import type { ChatSession } from '../domain/chat';
import { executionGraphId } from '../domain/execution';
import { collections, insertOnce, SessionDoc } from './collections';

/**
 * A session is three kinds of record, none written by two writers at once:
 * - its document (title, created_at, updated_at = when created or renamed), written by the
 *   person's own create and rename requests (a rename replaces one whole value: last one wins);
 * - its deletion, an insert-only tombstone (a rename racing a delete cannot bring it back);
 * - its messages, from which `message_count` and the activity part of `updated_at` are derived
 *   (a counter on the session document would be a second write beside each message's idempotent
 *   insert, which a crash or a repeated insert could leave out of step: store/README.md).
 */
const MAX_LISTED = 500;

type Activity = { count: number; last: string | null };

/** Each session's message count and newest message time, from one read of their messages. */
export async function activityOf(db: Db, sessionIds: string[]): Promise<Map<string, Activity>> {
  const out = new Map<string, Activity>(sessionIds.map((id) => [id, { count: 0, last: null }]));
  if (sessionIds.length === 0) return out;
  const filter = sessionIds.length === 1 ? { session_id: sessionIds[0] } : { session_id: { $in: sessionIds } };
  const docs = await collections(db)
    .messages.find(filter, { projection: { _id: 0, session_id: 1, timestamp: 1 } })
    .toArray();
  for (const { session_id, timestamp } of docs) {
    const a = out.get(session_id)!;
    a.count += 1;
    if (!a.last || timestamp > a.last) a.last = timestamp;
  }
  return out;
}

function toSession({ id, title, created_at, updated_at }: SessionDoc, activity: Activity | undefined): ChatSession {
  const last = activity?.last && activity.last > updated_at ? activity.last : updated_at;
  // Lists carry no messages (see ChatSession.messages); every session has its one graph.
  return {
    id,
    title,
    created_at,
    updated_at: last,
    message_count: activity?.count ?? 0,
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
  const doc: SessionDoc = { _id: id, id, title, created_at: now, updated_at: now };
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
    sessions.find({ deleted: { $ne: true } }).toArray(),
    sessionDeletions.find({}, { projection: { _id: 1 } }).toArray(),
  ]);
  const deleted = new Set(deletions.map((d) => d._id));
  const live = docs.filter((d) => !deleted.has(d._id));
  const activity = await activityOf(
    db,
    live.map((d) => d._id),
  );
  const listed = live.map((d) => toSession(d, activity.get(d._id))).sort(listOrder);
  const after = page.after === undefined ? null : cursorSession(page.after);
  const rest = after === null ? listed : listed.filter((session) => listOrder(session, after) > 0);
  return rest.slice(0, Math.min(page.limit ?? MAX_LISTED, MAX_LISTED));
}

/** Whether the session exists and is not deleted (two lookups by `_id`: cheap on every request). */
export async function sessionExists(db: Db, id: string): Promise<boolean> {
  const doc = await collections(db).sessions.findOne({ _id: id });
  return doc !== null && !(await isDeleted(db, doc));
}

export async function getSession(db: Db, id: string): Promise<ChatSession | null> {
  const doc = await collections(db).sessions.findOne({ _id: id });
  if (!doc || (await isDeleted(db, doc))) return null;
  return toSession(doc, (await activityOf(db, [id])).get(id));
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
