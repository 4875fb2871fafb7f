import type { Db } from 'mongodb';
import { collections } from './collections';

/** Small server-wide settings (model settings, autonomy level), one document each. */
export async function readSetting<T>(db: Db, id: string): Promise<T | null> {
  const doc = await collections(db).settings.findOne({ _id: id });
  return doc ? (doc.value as T) : null;
}

export async function writeSetting<T>(db: Db, id: string, value: T): Promise<void> {
  await collections(db).settings.updateOne(
    { _id: id }, { $set: { value, updated_at: new Date().toISOString() } }, { upsert: true },
  );
}
