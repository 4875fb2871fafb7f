import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { insertOnce } from './collections';

/**
 * What each components folder last held in step with the store, per file: the version the
 * registry wrote there or recorded from there (registry/folderSync.ts reads anything else on
 * disk as the developer's). Insert-only, a random `_id` per record, the newest per folder and
 * file wins when read, so two workers sharing one folder never lose each other's record.
 * Records are added only when the version changes, so a rescan writes nothing.
 */
export interface FolderSyncDoc {
  _id: string;
  /** The folder as one machine sees it: `host:absolute path`. */
  folder: string;
  /** Relative to the folder, with forward slashes. */
  file_path: string;
  version: string;
  at: string;
}

const folderSyncs = (db: Db) => db.collection<FolderSyncDoc>('component_folder_syncs');

export async function ensureFolderSyncIndexes(db: Db): Promise<void> {
  await folderSyncs(db).createIndex({ folder: 1, file_path: 1, at: 1 });
}

async function newestSync(db: Db, folder: string, filePath: string): Promise<FolderSyncDoc | null> {
  const [newest] = await folderSyncs(db).find({ folder, file_path: filePath }).sort({ at: -1, _id: -1 }).limit(1).toArray();
  return newest ?? null;
}

/** The version `file_path` last held in step with the store, or null if the folder never synced it. */
export async function syncedVersion(db: Db, folder: string, filePath: string): Promise<string | null> {
  return (await newestSync(db, folder, filePath))?.version ?? null;
}

export async function recordSyncedVersion(db: Db, folder: string, filePath: string, version: string): Promise<void> {
  const newest = await newestSync(db, folder, filePath);
  if (newest?.version === version) return;
  // Later than the record it follows even within one millisecond (a write right after a recorded edit).
  const at = Math.max(Date.now(), newest ? Date.parse(newest.at) + 1 : 0);
  await insertOnce(folderSyncs(db), { _id: randomUUID(), folder, file_path: filePath, version, at: new Date(at).toISOString() });
}
