import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import type { VersionCreator } from '../domain/evolution';
import { getComponent, getVersion, listComponentDocs, type VersionDoc } from '../store/evolutionStore';
import { recordSyncedVersion, syncedVersion } from '../store/folderSyncStore';
import { readIfPresent } from './readIfPresent';
import { loadComponent, versionOfCode, type LoadedComponent } from './registry';
import { syncComponentFile, writeComponentFile } from './versionControl';

/**
 * The developer's files win. The store remembers which version each file of a components folder
 * last held in step with it (store/folderSyncStore.ts); content on disk other than that is the
 * developer's, and is recorded before the registry writes anything over it:
 * - content no version has becomes a new version, current (an edit);
 * - an older version's exact content makes that version current again (a `git checkout`),
 *   recorded as an outside edit.
 * Only a file that holds what the folder was last given (or, in a folder never synced, such as a
 * fresh copy, an older stored version) is behind the store and is brought up to date. A file
 * that cannot be versioned (an invalid manifest, mid-edit) is never written over either: what
 * turns run comes from the store, so the folder can wait until the developer fixes the file.
 */

/** One folder as this machine sees it, whichever worker syncs it. */
const folderIdOf = (dir: string): string => `${os.hostname()}:${path.resolve(dir)}`;

type Log = (message: string) => void;
const warn: Log = (m) => console.warn(m);

/**
 * Brings the store in line with a file as found on disk (see the header): 'in_step' when the disk
 * now holds the store's current version, 'behind' when the folder missed a change made elsewhere.
 */
export async function syncLoadedFile(
  db: Db,
  dir: string,
  c: LoadedComponent,
  creatorFor: (isNew: boolean) => VersionCreator,
  allNames: string[],
): Promise<'in_step' | 'behind'> {
  const folder = folderIdOf(dir);
  const stored = await getComponent(db, c.name);
  if (stored && stored.current_version !== c.version && (await getVersion(db, c.name, c.version))) {
    const synced = await syncedVersion(db, folder, c.file_path);
    if (synced === null || synced === c.version) return 'behind';
  }
  await syncComponentFile(db, c, creatorFor(!stored), allNames);
  await recordSyncedVersion(db, folder, c.file_path, c.version);
  return 'in_step';
}

export type DiskState =
  /** No file: free to write. */
  | 'absent'
  /** The content the folder last held in step with the store: free to write over. */
  | 'synced'
  /** The store's current version, as it was or as just recorded from the developer's edit. */
  | 'in_step'
  /** The developer's content, which cannot be versioned: leave it alone. */
  | 'unreadable';

/** Who made a version the registry found in the folder while running. */
export const outsideEdit = (isNew: boolean): VersionCreator => ({
  kind: 'file_watcher',
  detail: isNew ? 'new file in the components folder' : 'file edited outside Evoscope',
});

const absolutePathOf = (dir: string, filePath: string) => path.join(dir, ...filePath.split('/'));

/** Reads one file of the folder and records content there that the folder has not synced. */
export async function syncDiskFile(db: Db, dir: string, filePath: string, log: Log = warn): Promise<DiskState> {
  return syncDiskContent(db, dir, filePath, await readIfPresent(absolutePathOf(dir, filePath)), log);
}

async function syncDiskContent(db: Db, dir: string, filePath: string, code: string | null, log: Log): Promise<DiskState> {
  if (code === null) return 'absent';
  if ((await syncedVersion(db, folderIdOf(dir), filePath)) === versionOfCode(code)) return 'synced';
  let loaded: LoadedComponent;
  try {
    loaded = await loadComponent(dir, absolutePathOf(dir, filePath));
  } catch (err) {
    log(`${filePath} holds an edit that cannot be versioned; left as it is: ${err instanceof Error ? err.message : String(err)}`);
    return 'unreadable';
  }
  const names = (await listComponentDocs(db)).map((d) => d._id);
  const state = await syncLoadedFile(db, dir, loaded, outsideEdit, [...names, loaded.name]);
  return state === 'behind' ? 'synced' : 'in_step';
}

/**
 * Writes a version into its file unless the file holds the developer's content: that is recorded
 * first (and, being recorded, is the current version: nothing to write), or left alone when it
 * cannot be versioned. A file that already holds the version is not written again: the worker
 * that just recorded an edit would otherwise write it back over the developer's next one.
 */
export async function writeVersionFile(
  db: Db,
  dir: string,
  version: Pick<VersionDoc, 'version' | 'file_path' | 'code'>,
  log: Log = warn,
): Promise<void> {
  const code = await readIfPresent(absolutePathOf(dir, version.file_path));
  if (code !== null && versionOfCode(code) === version.version) {
    await recordSyncedVersion(db, folderIdOf(dir), version.file_path, version.version);
    return;
  }
  const state = await syncDiskContent(db, dir, version.file_path, code, log);
  if (state === 'in_step' || state === 'unreadable') return;
  await writeComponentFile(dir, version.file_path, version.code);
  await recordSyncedVersion(db, folderIdOf(dir), version.file_path, version.version);
}
