import type { Db } from 'mongodb';
import type { ChatSession } from '../domain/chat';
import { executionGraphId } from '../domain/execution';
import { collections, SessionDoc } from './collections';

/** Lists carry no messages (see ChatSession.messages); every session has its one graph. */
const toSession = ({ _id, deleted: _deleted, ...session }: SessionDoc): ChatSession =>
  ({ ...session, messages: [], execution_graph_id: executionGraphId(session.id) });

export async function createSession(db: Db, id: string, title: string): Promise<ChatSession> {
  const now = new Date().toISOString();
  const doc: SessionDoc = { _id: id, id, title, created_at: now, updated_at: now, message_count: 0, deleted: false };
  await collections(db).sessions.insertOne(doc);
  return toSession(doc);
}

export async function listSessions(db: Db): Promise<ChatSession[]> {
  const docs = await collections(db).sessions.find({ deleted: false }).sort({ updated_at: -1 }).limit(500).toArray();
  return docs.map(toSession);
}

export async function getSession(db: Db, id: string): Promise<ChatSession | null> {
  const doc = await collections(db).sessions.findOne({ _id: id, deleted: false });
  return doc ? toSession(doc) : null;
}

export async function renameSession(db: Db, id: string, title: string): Promise<ChatSession | null> {
  const doc = await collections(db).sessions.findOneAndUpdate(
    { _id: id, deleted: false },
    { $set: { title, updated_at: new Date().toISOString() } },
    { returnDocument: 'after' },
  );
  return doc ? toSession(doc) : null;
}

/** Soft delete: runs that still reference the session keep working; it just leaves every list. */
export async function deleteSession(db: Db, id: string): Promise<boolean> {
  const res = await collections(db).sessions.updateOne({ _id: id, deleted: false }, { $set: { deleted: true } });
  return res.modifiedCount === 1;
}

export async function touchSession(db: Db, id: string, messagesAdded: number): Promise<void> {
  await collections(db).sessions.updateOne(
    { _id: id },
    { $set: { updated_at: new Date().toISOString() }, $inc: { message_count: messagesAdded } },
  );
}
