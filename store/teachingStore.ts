import type { Db } from 'mongodb';
import type { FeedbackRecord, TaughtCase } from '../domain/teaching';
import { insertOnce } from './collections';
import { decodeFields } from './documentCodec';

/**
 * What people taught from the console. Both collections are insert-only with a fresh id per
 * mark, so two people marking at once both count and nothing is ever rewritten:
 * - `answer_feedback`: every right/wrong mark of an assistant answer, with what was expected.
 * - `taught_cases`: the suite cases a wrong mark made, each owned by one component. When one
 *   answer is taught again for the same component, the newest case wins when read (an older
 *   lesson is kept, not deleted, and no longer part of the suite).
 * A mark's cases are stored before the mark that lists them, so a listed case always exists.
 */
type FeedbackDoc = FeedbackRecord & { _id: string };
type TaughtCaseDoc = TaughtCase & { _id: string };

const feedback = (db: Db) => db.collection<FeedbackDoc>('answer_feedback');
const taughtCases = (db: Db) => db.collection<TaughtCaseDoc>('taught_cases');

export async function recordFeedback(db: Db, mark: FeedbackRecord, cases: TaughtCase[]): Promise<void> {
  for (const c of cases) await insertOnce(taughtCases(db), { _id: c.id, ...c });
  await insertOnce(feedback(db), { _id: mark.id, ...mark });
}

const withoutId = <T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> => rest;

/** The taught suite: the newest case per answer and component, oldest first (of one component, or all). */
export async function listTaughtCases(db: Db, component?: string): Promise<TaughtCase[]> {
  const docs = await taughtCases(db)
    .find(component === undefined ? {} : { component })
    .toArray();
  const newest = new Map<string, TaughtCase>();
  for (const c of docs
    .map((doc) => withoutId(decodeFields(doc)))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)))
    newest.set(`${c.message_id}\n${c.component}`, c);
  return [...newest.values()];
}

/** What each taught case's mark said the answer contains (taught case id → key content, when it said). */
export async function keyContentOfTaughtCases(db: Db, cases: readonly TaughtCase[]): Promise<Map<string, string>> {
  const marks = await feedback(db)
    .find({ _id: { $in: [...new Set(cases.map((c) => c.feedback_id))] } })
    .toArray();
  const said = new Map(marks.filter((m) => m.key_content !== null).map((m) => [m._id, m.key_content as string]));
  return new Map(cases.filter((c) => said.has(c.feedback_id)).map((c) => [c.id, said.get(c.feedback_id)!]));
}
