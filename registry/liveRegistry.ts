import { createHash } from 'node:crypto';
import { watch, FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from 'mongodb';
import type { VersionCreator } from '../domain/evolution';
import { outsideEdit, syncLoadedFile, writeVersionFile } from './folderSync';
import { emitMetaEvent } from '../store/emit';
import { getComponent, listComponentDocs, getVersion } from '../store/evolutionStore';
import { loadComponent, LoadedComponent } from './registry';

export interface LiveRegistry {
  /** What chat turns run: each component's current version. Mutated in place. */
  components: ReadonlyMap<string, LoadedComponent>;
  /** Re-reads the folder now (the watcher calls this after a debounce). */
  rescan(): Promise<void>;
  /** Picks up versions made current by another process. */
  refreshFromStore(): Promise<void>;
  close(): void;
}

const DEBOUNCE_MS = 150;
const POLL_MS = 2000;

/**
 * The worker's registry. What turns run is always the store's current version of each
 * component, so every worker runs the same code whatever its own folder holds (an empty or
 * absent folder included). The folder is the developer's way in: at start and on every change
 * it is synced into the store (an outside edit becomes a new version, or makes current again
 * the older version whose content it restores; a new file becomes a new component), and it
 * follows the store: a version made current anywhere is written into it, and a file that holds
 * what the folder was last given (a folder that missed a promotion) is brought up to date. The
 * developer's files win: nothing is written over content the folder has not synced
 * (registry/folderSync.ts). A file that cannot be loaded (an invalid manifest) or versioned (the
 * store refuses it) is skipped with its reason, logged and recorded as a `component_file_skipped`
 * meta event (once per file and reason), and the scan goes on with the other files: no file
 * stops a rescan or a worker's start. The next scan tries it again.
 */
export async function startLiveRegistry(
  db: Db,
  dir: string,
  options: { watch?: boolean; log?: (m: string) => void } = {},
): Promise<LiveRegistry> {
  const log = options.log ?? ((m: string) => console.warn(m));
  const components = new Map<string, LoadedComponent>();
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  let scanning: Promise<void> = Promise.resolve();
  let pending = false;

  async function listFiles(): Promise<{ files: string[]; dirs: string[] }> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return []; // no folder: nothing to sync, the store has it all
      throw err;
    });
    return {
      files: entries
        .filter((e) => e.isFile() && e.name.endsWith('.js'))
        .map((e) => path.join(e.parentPath, e.name))
        .sort(),
      dirs: [dir, ...entries.filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name))],
    };
  }

  /** Once per file and reason (the event's key): a rescan of the same broken file records nothing new. */
  async function skip(filePath: string, err: unknown) {
    const reason = err instanceof Error ? err.message : String(err);
    log(`component file skipped: ${filePath}: ${reason}`);
    const key = `component_file_skipped:${filePath}:${createHash('sha256').update(reason).digest('hex').slice(0, 16)}`;
    await emitMetaEvent(db, key, { type: 'component_file_skipped', file_path: filePath, reason }).catch((emitErr) =>
      log(`component file skip not recorded: ${String(emitErr)}`),
    );
  }

  async function scanOnce(creator: (isNew: boolean) => VersionCreator) {
    const { files, dirs } = await listFiles();
    const loaded: LoadedComponent[] = [];
    for (const file of files) {
      try {
        loaded.push(await loadComponent(dir, file));
      } catch (err) {
        await skip(path.relative(dir, file).split(path.sep).join('/'), err);
      }
    }
    const names = loaded.map((c) => c.name);
    const seen = new Map<string, string>();
    for (const c of loaded) {
      const first = seen.get(c.name);
      if (first !== undefined) {
        log(`component name '${c.name}' is used by both ${first} and ${c.file_path}; keeping the first`);
        continue;
      }
      seen.set(c.name, c.file_path);
      const state = await syncLoadedFile(db, dir, c, creator, names).catch((err: unknown) => skip(c.file_path, err));
      if (state === 'behind') await followStore(c.name);
    }
    await refreshFromStore();
    if (options.watch !== false && !closed) for (const d of dirs) watchDir(d);
  }

  function watchDir(d: string) {
    if (watchers.has(d)) return;
    try {
      const w = watch(d, { persistent: false }, () => schedule());
      w.on('error', () => {
        w.close();
        watchers.delete(d);
      });
      watchers.set(d, w);
    } catch {
      /* the folder went away between listing and watching */
    }
  }

  let timer: NodeJS.Timeout | null = null;
  function schedule() {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void rescan();
    }, DEBOUNCE_MS);
  }

  /** Serialised: one scan at a time, and at most one more queued behind it. */
  function rescan(): Promise<void> {
    if (pending) return scanning;
    pending = true;
    scanning = scanning.then(async () => {
      pending = false;
      try {
        await scanOnce(outsideEdit);
      } catch (err) {
        log(`component rescan failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return scanning;
  }

  async function refreshFromStore() {
    for (const doc of await listComponentDocs(db)) {
      const held = components.get(doc._id);
      if (held && held.version === doc.current_version) continue;
      const version = await getVersion(db, doc._id, doc.current_version);
      if (!version) continue;
      components.set(doc._id, {
        name: doc._id,
        manifest: version.manifest,
        code: version.code,
        code_hash: version.code_hash,
        version: version.version,
        file_path: version.file_path,
      });
      // Changed since this worker last looked (not at its start): the folder follows.
      if (held && options.watch !== false) {
        await writeVersionFile(db, dir, version, log).catch((err) => log(`component file not updated: ${String(err)}`));
      }
    }
  }

  /** A file behind the store (the folder missed a change made elsewhere) gets the current version. */
  async function followStore(name: string) {
    const stored = await getComponent(db, name);
    const current = stored && (await getVersion(db, name, stored.current_version));
    if (current) await writeVersionFile(db, dir, current, log);
  }

  // At start, a file that differs from the stored current version was edited while no worker ran.
  await scanOnce((isNew) =>
    isNew
      ? { kind: 'seed', detail: 'found at worker start' }
      : { kind: 'file_watcher', detail: 'changed while no worker was running' },
  );
  const poll = setInterval(() => {
    void refreshFromStore().catch(() => undefined);
  }, POLL_MS);
  poll.unref();

  return {
    components,
    rescan,
    refreshFromStore,
    close() {
      closed = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
