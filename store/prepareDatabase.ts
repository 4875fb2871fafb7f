import type { Db } from 'mongodb';
import { ensureIndexes } from './collections';

/** Idempotent: every process calls it at start. */
export async function prepareDatabase(db: Db): Promise<void> {
  await ensureIndexes(db);
}
