import type { Db } from 'mongodb';
import { ensureIndexes } from './collections';
import { ensureSignalCollection } from './eventSignals';

/** Idempotent: every process calls it at start. */
export async function prepareDatabase(db: Db): Promise<void> {
  await ensureSignalCollection(db);
  await ensureIndexes(db);
}
