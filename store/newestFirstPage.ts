import type { Collection, Filter } from 'mongodb';
import type { ListPage } from '../domain/listPage';

type Dated = { _id: string; created_at: string };

/**
 * A page of a collection listed newest first (`created_at`, ties by `_id`): the documents after
 * the one `page.after` names, found by its id (one lookup), so a page stays in place while newer
 * documents arrive. Null when no document has that id. The cursor is only ever an `_id` value.
 */
export async function newestFirstPage<T extends Dated>(collection: Collection<T>, page: ListPage): Promise<T[] | null> {
  let filter = {};
  if (page.after !== undefined) {
    const anchor = await collection.findOne({ _id: page.after } as Filter<T>, { projection: { created_at: 1 } });
    if (!anchor) return null;
    filter = {
      $or: [{ created_at: { $lt: anchor.created_at } }, { created_at: anchor.created_at, _id: { $gt: anchor._id } }],
    };
  }
  return (await collection
    .find(filter as Filter<T>)
    .sort({ created_at: -1, _id: 1 })
    .limit(page.limit)
    .toArray()) as T[];
}
