import { listPageInput, pageOf, type ListPage } from '../domain/listPage';
import { ApiError, parseInput } from './errors';

/**
 * The page a REST query or GraphQL arguments ask for (domain/listPage.ts), checked before any
 * store is read: a bad limit or cursor is a 400 and reads nothing.
 */
export const parseListPage = (defaultLimit: number, limit: unknown, after: unknown): ListPage =>
  parseInput(listPageInput(defaultLimit), { limit: limit ?? undefined, after: after ?? undefined });

/** The 400 of a cursor that names no item of the list (`what`: the item, as the message names it). */
export const unknownCursor = (what: string, page: ListPage) =>
  new ApiError(400, 'BAD_USER_INPUT', `after: no ${what} ${String(page.after)} in the list`);

/** The page of a list the service holds whole (derived or recomputed), or the 400 of an unknown cursor. */
export function pageOrRefuse<T>(items: readonly T[], idOf: (item: T) => string, page: ListPage, what: string): T[] {
  const found = pageOf(items, idOf, page);
  if (found === null) throw unknownCursor(what, page);
  return found;
}
