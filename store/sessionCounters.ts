import type { Db } from 'mongodb';
import type { MessageRecord } from '../domain/chat';
import { collections, type SessionDoc } from './collections';

/**
 * A session's message count and newest message time, kept on its document so that lists read
 * no messages (store/README.md has the figures). Every insert attempt of a message, new or
 * refused as a duplicate, counts it once: the update matches only while the message's id is not
 * among the session's newest counted ids (`recent_message_ids`), so a repeated insert adds
 * nothing and the retry of an insert whose count a crash cut off adds the missing one. That is
 * exact unless more than RECENT_COUNTED messages of the session are counted between the crash
 * and the retry. Only operators FerretDB v1 has: it ignores `$push`'s `$slice` and `$pull`
 * conditions, so the list is trimmed by a `$pullAll` of what the update returned, once it holds
 * twice RECENT_COUNTED ids (one more command per RECENT_COUNTED messages of a session).
 *
 * Sessions stored before the counters (no `counts_complete`) are counted from their messages
 * once, when a read first meets them (`countsOf`), and the result is stored by a compare-and-set
 * on the count the read saw: a message counted meanwhile makes it fail (the next read counts
 * again), so a racing message is neither lost nor counted twice.
 */
export const RECENT_COUNTED = 16;

export interface Counts {
  count: number;
  /** The newest message's time (null: no message yet). */
  last: string | null;
}

/** The one update per message insert attempt; a message of an unknown session counts nowhere. */
export async function countMessage(db: Db, message: Pick<MessageRecord, 'id' | 'session_id' | 'timestamp'>): Promise<void> {
  const { sessions } = collections(db);
  const counted = await sessions.findOneAndUpdate(
    { _id: message.session_id, recent_message_ids: { $ne: message.id } },
    {
      $inc: { message_count: 1 },
      $max: { last_message_at: message.timestamp },
      $push: { recent_message_ids: message.id },
    },
    { returnDocument: 'after' },
  );
  const recent = counted?.recent_message_ids ?? [];
  if (recent.length >= 2 * RECENT_COUNTED)
    await sessions.updateOne(
      { _id: message.session_id },
      { $pullAll: { recent_message_ids: recent.slice(0, recent.length - RECENT_COUNTED) } },
    );
}

interface Derived extends Counts {
  /** The newest RECENT_COUNTED message ids, oldest first. */
  recent: string[];
}

/** Each session's counts derived from one read of all their messages. */
export async function countsFromMessages(db: Db, sessionIds: string[]): Promise<Map<string, Derived>> {
  const out = new Map<string, Derived>(sessionIds.map((id) => [id, { count: 0, last: null, recent: [] }]));
  if (sessionIds.length === 0) return out;
  const docs = await collections(db)
    .messages.find(
      { session_id: { $in: sessionIds } },
      { projection: { _id: 1, session_id: 1, timestamp: 1, seq_in_session: 1 } },
    )
    .toArray();
  docs.sort((a, b) => a.seq_in_session - b.seq_in_session);
  for (const { _id, session_id, timestamp } of docs) {
    const d = out.get(session_id)!;
    d.count += 1;
    if (!d.last || timestamp > d.last) d.last = timestamp;
    d.recent.push(_id);
  }
  for (const d of out.values()) d.recent = d.recent.slice(-RECENT_COUNTED);
  return out;
}

/**
 * The counts of sessions whose documents were just read (`docs`, read before this call). Those
 * stored before the counters are derived from their messages (read after their documents, so
 * every message counted on a document is among them) and stored unless a message was counted
 * since the document was read.
 */
export async function countsOf(db: Db, docs: SessionDoc[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  const uncounted: SessionDoc[] = [];
  for (const doc of docs) {
    if (doc.counts_complete) out.set(doc._id, { count: doc.message_count ?? 0, last: doc.last_message_at ?? null });
    else uncounted.push(doc);
  }
  const derived = await countsFromMessages(
    db,
    uncounted.map((doc) => doc._id),
  );
  await Promise.all(
    uncounted.map(async (doc) => {
      const { count, last, recent } = derived.get(doc._id)!;
      out.set(doc._id, { count, last });
      await collections(db).sessions.updateOne(
        { _id: doc._id, counts_complete: { $exists: false }, message_count: doc.message_count ?? { $exists: false } },
        {
          $set: { message_count: count, recent_message_ids: recent, counts_complete: true },
          ...(last ? { $max: { last_message_at: last } } : {}),
        },
      );
    }),
  );
  return out;
}
