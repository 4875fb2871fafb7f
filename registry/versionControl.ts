import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from 'mongodb';
import type { VersionCreator } from '../domain/evolution';
import { readDependencies } from '../evolution/readDependencies';
import { tunableDefaults } from '../evolution/tunableMutation';
import { emitMetaEvent } from '../store/emit';
import {
  getComponent,
  getVersion,
  insertComponentOnce,
  insertVersionOnce,
  listChanges,
  recordChange,
  VersionDoc,
} from '../store/evolutionStore';
import type { LoadedComponent } from './registry';

export function versionDocOf(
  c: LoadedComponent,
  parents: string[],
  created_by: VersionCreator,
  status: VersionDoc['status'],
  others: string[],
): VersionDoc {
  return {
    _id: `${c.name}@${c.version}`,
    component: c.name,
    version: c.version,
    code_hash: c.code_hash,
    file_path: c.file_path,
    parents,
    created_by,
    dependencies: readDependencies(
      c.code,
      others.filter((n) => n !== c.name),
    ),
    status,
    params: tunableDefaults(c.manifest.tunables),
    test_results: null,
    performance_metrics: null,
    created_at: new Date().toISOString(),
    code: c.code,
    manifest: c.manifest,
  };
}

/**
 * Brings the store in line with a component file as found on disk: a new component is
 * inserted (component_generated); a file whose content is not the current version becomes
 * the current version (component_modified), made by `creator`: a new version, or an older one
 * whose exact content the file holds again. Whether the file is the developer's to record or
 * one the folder was given and must catch up is registry/folderSync.ts's call. Safe to run twice and from
 * several workers at once: every write is keyed by the content.
 */
export async function syncComponentFile(
  db: Db,
  c: LoadedComponent,
  creator: VersionCreator,
  allNames: string[],
): Promise<'unchanged' | 'generated' | 'modified'> {
  const now = new Date().toISOString();
  const existing = await getComponent(db, c.name);
  if (!existing) {
    await insertVersionOnce(db, versionDocOf(c, [], creator, 'current', allNames));
    const inserted = await insertComponentOnce(db, {
      _id: c.name,
      name: c.name,
      type: c.manifest.type,
      description: c.manifest.description,
      file_path: c.file_path,
      current_version: c.version,
      tags: [c.manifest.type, ...(c.manifest.kind ? [c.manifest.kind] : [])],
      created_at: now,
      updated_at: now,
    });
    await recordChange(db, {
      _id: `change:${c.name}:generated`,
      component: c.name,
      from_version: null,
      to_version: c.version,
      kind: 'seed',
      by: creator,
      reason: 'component found in its folder',
      experiment_id: null,
      at: now,
    });
    if (inserted) {
      await emitMetaEvent(db, `component_generated:${c.name}`, {
        type: 'component_generated',
        component: c.name,
        version: c.version,
        component_type: c.manifest.type,
        file_path: c.file_path,
        created_by: creator,
      });
    }
    return inserted ? 'generated' : 'unchanged';
  }
  if (existing.current_version === c.version) return 'unchanged';
  const changesBefore = (await listChanges(db, c.name)).length;
  const known = await getVersion(db, c.name, c.version);
  if (!known) await insertVersionOnce(db, versionDocOf(c, [existing.current_version], creator, 'current', allNames));
  // Keyed by the state it changes (from, to, and how many changes came before), so workers that
  // see the same edit record it once, and restoring the same version again later is a new change.
  const change = `${existing.current_version}->${c.version}#${changesBefore}`;
  // The change is what makes the version current (store/evolutionStore.ts derives it from the changes).
  await recordChange(db, {
    _id: `change:${c.name}:${change}:file`,
    component: c.name,
    from_version: existing.current_version,
    to_version: c.version,
    kind: 'file_edit',
    by: creator,
    reason: known ? `an outside edit restored the content of version ${c.version}` : 'the file was edited outside Evoscope',
    experiment_id: null,
    at: now,
  });
  await emitMetaEvent(db, `component_modified:${c.name}:${change}`, {
    type: 'component_modified',
    component: c.name,
    version: c.version,
    previous_version: existing.current_version,
    created_by: known?.created_by ?? creator,
    status: 'current',
  });
  return 'modified';
}

/**
 * Writes via a temporary file and rename, so the watcher never reads half a file. The folder
 * may lack the file's subfolder (a worker started with an empty components folder).
 */
export async function writeComponentFile(dir: string, filePath: string, code: string) {
  const target = path.join(dir, ...filePath.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.evoscope-${process.pid}.tmp`;
  await writeFile(temporary, code, 'utf8');
  await rename(temporary, target);
}
