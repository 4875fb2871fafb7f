import { MAX_LIST_PAGE } from '../../domain/listPage';
import { builder } from './builder';

/** The `limit` and `after` of a paged list field, as REST's query has them (the services check both). */
export const listPageArgs = (items: string, defaultLimit: number, cursor: string) =>
  builder.args((t) => ({
    limit: t.int({ description: `${items} on the page, 1-${MAX_LIST_PAGE} (${defaultLimit} by default)` }),
    after: t.string({ description: `The next page: ${cursor}` }),
  }));
