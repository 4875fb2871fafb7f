import { z } from 'zod';
import { Identifier } from './identifier';

/**
 * A page of a list the API serves (experiments, predictions, generated tools, taught cases,
 * components): at most `limit` items, and with `after` the items that follow the one it names,
 * in the list's own order. The cursor is an item's id, checked like every id a client sends, so
 * it reaches a query only as a plain string; a cursor that names no item of the list is refused
 * rather than read as "from the start", so a client walking the pages cannot loop for ever.
 * The sessions' cursor is their own (`updated_at|id`, store/sessionStore.ts): their order is derived.
 */
export const MAX_LIST_PAGE = 500;

export const listPageInput = (defaultLimit: number) =>
  z.object({ limit: z.number().int().min(1).max(MAX_LIST_PAGE).default(defaultLimit), after: Identifier.optional() });

export interface ListPage {
  limit: number;
  /** The id of the last item of the page before. */
  after?: string;
}

/** The page of an ordered list; null when `after` names no item of it. */
export function pageOf<T>(items: readonly T[], idOf: (item: T) => string, page: ListPage): T[] | null {
  const start = page.after === undefined ? 0 : items.findIndex((item) => idOf(item) === page.after) + 1;
  return start === 0 && page.after !== undefined ? null : items.slice(start, start + page.limit);
}
