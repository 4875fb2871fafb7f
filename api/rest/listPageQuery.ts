import { z } from 'zod';
import { MAX_LIST_PAGE } from '../../domain/listPage';

/**
 * The query of a paged GET list, `limit` and `after`, as the OpenAPI document describes them
 * (`items`: what the list holds; `cursor`: what `after` names). Both arrive as query strings; the
 * services check them (../listPages.ts), so a handler only turns `limit` into a number.
 */
export const listPageQuery = (items: string, defaultLimit: number, cursor: string) =>
  z.object({
    limit: z.string().optional().describe(`${items} on the page, 1-${MAX_LIST_PAGE} (${defaultLimit} by default)`),
    after: z.string().optional().describe(`the next page: ${cursor}`),
  });

/** A query's `limit` as a number (`NaN` when it is none, which the services refuse), or absent. */
export const queryNumber = (value: unknown) => (value === undefined ? undefined : Number(value));
