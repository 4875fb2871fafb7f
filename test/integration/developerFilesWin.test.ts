import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { makeVersionCurrent } from '../../registry/makeVersionCurrent';
import { startLiveRegistry, type LiveRegistry } from '../../registry/liveRegistry';
import { versionOfCode } from '../../registry/registry';
import { getComponent, listChanges, listVersions } from '../../store/evolutionStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { uniqueDbName } from '../../harness/servers';
import { tunableComponent } from '../support/tunableComponent';

/**
 * The developer's files win (issue 16): an edit in the components folder is never written over
 * before it is recorded, and an edit that restores an older version's content (a `git checkout`)
 * makes that version current again. The registry runs without its watcher here and every scan is
 * asked for, so each step is observed after it happened, not after a delay.
 */
const FILE = 'tools/scaler.js';
const contentWith = (factor: number) => tunableComponent('scaler', factor);
const V1 = versionOfCode(contentWith(1));
const V2 = versionOfCode(contentWith(2));
const V3 = versionOfCode(contentWith(3));

let client: MongoClient;
const open: LiveRegistry[] = [];
const folders: string[] = [];
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
});
afterAll(async () => {
  for (const r of open) r.close();
  await client?.close();
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function freshDb(): Promise<Db> {
  const db = client.db(uniqueDbName('files_win'));
  await prepareDatabase(db);
  return db;
}
async function folderHolding(factor: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-files-win-'));
  folders.push(dir);
  await mkdir(path.join(dir, 'tools'));
  await writeFile(path.join(dir, FILE), contentWith(factor));
  return dir;
}
async function registryOn(db: Db, dir: string): Promise<LiveRegistry> {
  const registry = await startLiveRegistry(db, dir, { watch: false, log: () => undefined });
  open.push(registry);
  return registry;
}
const edit = (dir: string, factor: number) => writeFile(path.join(dir, FILE), contentWith(factor));
const onDisk = (dir: string) => readFile(path.join(dir, FILE), 'utf8');
/** A person's rollback of the scaler to its first version, as the rollback workflow makes it. */
const rollBackToV1 = async (db: Db, dir: string, key: string) =>
  makeVersionCurrent(
    db,
    dir,
    {
      component: 'scaler',
      version: V1,
      kind: 'rollback',
      expectedCurrent: null,
      by: { kind: 'rollback', detail: 'tester' },
      reason: 'undo',
      experimentId: null,
      key,
    },
    (await getComponent(db, 'scaler'))!,
  );
const currentOf = async (db: Db) => (await getComponent(db, 'scaler'))!.current_version;

test('a git checkout of an edited file makes the older version current again, as an outside edit, every time', async () => {
  const db = await freshDb();
  const dir = await folderHolding(1);
  const registry = await registryOn(db, dir);
  expect(await currentOf(db)).toBe(V1);

  await edit(dir, 2);
  await registry.rescan();
  expect(await currentOf(db)).toBe(V2);

  await edit(dir, 1); // git checkout tools/scaler.js
  await registry.rescan();
  await registry.refreshFromStore();
  expect(await onDisk(dir)).toBe(contentWith(1));
  expect(await currentOf(db)).toBe(V1);
  expect(registry.components.get('scaler')?.version).toBe(V1);
  expect((await listChanges(db, 'scaler')).at(-1)).toMatchObject({
    kind: 'file_edit',
    from_version: V2,
    to_version: V1,
    by: { kind: 'file_watcher' },
    reason: expect.stringContaining('outside edit restored'),
  });

  // The same edit and the same checkout again are two more changes, not one already recorded.
  await edit(dir, 2);
  await registry.rescan();
  await edit(dir, 1);
  await registry.rescan();
  expect(await onDisk(dir)).toBe(contentWith(1));
  expect(await currentOf(db)).toBe(V1);
  expect((await listChanges(db, 'scaler')).map((c) => c.to_version)).toEqual([V1, V2, V1, V2, V1]);
  expect(await listVersions(db, 'scaler')).toHaveLength(2);
});

test('a checkout made while no worker ran is current at the next start; a fresh folder still catches up', async () => {
  const db = await freshDb();
  const dir = await folderHolding(1);
  const first = await registryOn(db, dir);
  await edit(dir, 2);
  await first.rescan();
  first.close();

  await edit(dir, 1); // checked out while the worker was down
  await registryOn(db, dir);
  expect(await onDisk(dir)).toBe(contentWith(1));
  expect(await currentOf(db)).toBe(V1);
  expect((await listChanges(db, 'scaler')).at(-1)).toMatchObject({ kind: 'file_edit', to_version: V1 });

  // A folder this store never synced, holding an older version (a copy made before a change
  // elsewhere), is behind the store rather than the developer's: it gets the current version.
  await edit(dir, 2);
  await registryOn(db, dir).then((r) => r.rescan());
  const copy = await folderHolding(1);
  await registryOn(db, copy);
  expect(await onDisk(copy)).toBe(contentWith(2));
  expect(await currentOf(db)).toBe(V2);
});

test('a promotion or rollback records the edit waiting in the file before it writes over it', async () => {
  const db = await freshDb();
  const dir = await folderHolding(1);
  const registry = await registryOn(db, dir);
  await edit(dir, 2);
  await registry.rescan();

  await edit(dir, 3); // not yet seen by any scan
  await rollBackToV1(db, dir, 'change:test-rollback');
  const changes = await listChanges(db, 'scaler');
  expect(changes.slice(-2)).toMatchObject([
    { kind: 'file_edit', from_version: V2, to_version: V3 },
    { kind: 'rollback', from_version: V3, to_version: V1 },
  ]);
  expect((await listVersions(db, 'scaler')).map((v) => v.version)).toContain(V3);
  expect(await onDisk(dir)).toBe(contentWith(1));
});

test('a file that holds an edit the registry cannot version is not written over', async () => {
  const db = await freshDb();
  const dir = await folderHolding(1);
  const registry = await registryOn(db, dir);
  await edit(dir, 2);
  await registry.rescan();

  const halfway = `${contentWith(3)}\n}}} not yet valid`;
  await writeFile(path.join(dir, FILE), halfway);
  const warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await rollBackToV1(db, dir, 'change:test-rollback-halfway');
  expect(await currentOf(db)).toBe(V1);
  expect(await onDisk(dir)).toBe(halfway);
  expect(warned).toHaveBeenCalledWith(expect.stringContaining('tools/scaler.js holds an edit that cannot be versioned'));
  warned.mockRestore();
});
