import type { Db } from 'mongodb';
import type { VersionCreator } from '../domain/evolution';
import { emitMetaEvent } from '../store/emit';
import { getChange, getComponent, getVersion, recordChange } from '../store/evolutionStore';
import { syncDiskFile, writeVersionFile } from './folderSync';

export interface MakeCurrentRequest {
  component: string;
  version: string;
  kind: 'promote' | 'rollback';
  by: VersionCreator;
  reason: string;
  experimentId: string | null;
  /** Idempotency key of this change (workflow id + activity). */
  key: string;
}

/**
 * Makes a stored version current: an edit the developer left in its file is recorded first (so
 * it is never lost, and the change goes from it), then the store (the change record, which is
 * what makes the version current), then its file (so the file watcher sees a version that is
 * already current and records nothing twice), then the event.
 */
export async function makeVersionCurrent(
  db: Db,
  dir: string,
  req: MakeCurrentRequest,
): Promise<{ from: string | null; to: string }> {
  const version = await getVersion(db, req.component, req.version);
  if (!version) throw new Error(`${req.component} has no version ${req.version}`);
  await syncDiskFile(db, dir, version.file_path);
  const component = await getComponent(db, req.component);
  if (!component) throw new Error(`no component named ${req.component}`);
  const previous = await getChange(db, req.key);
  const from = previous ? previous.from_version : component.current_version;
  await recordChange(db, {
    _id: req.key,
    component: req.component,
    from_version: from,
    to_version: req.version,
    kind: req.kind,
    by: req.by,
    reason: req.reason,
    experiment_id: req.experimentId,
    at: new Date().toISOString(),
  });
  await writeVersionFile(db, dir, version);
  if (req.kind === 'promote') {
    await emitMetaEvent(db, `${req.key}:event`, {
      type: 'version_promoted',
      component: req.component,
      version: req.version,
      previous_version: from,
      experiment_id: req.experimentId,
      decided_by: req.by.detail ?? req.by.kind,
    });
  } else {
    await emitMetaEvent(db, `${req.key}:event`, {
      type: 'version_rolled_back',
      component: req.component,
      version: req.version,
      from_version: from,
      reason: req.reason,
      automatic: req.by.kind === 'rollback' && req.by.detail === 'watch window',
      experiment_id: req.experimentId,
    });
  }
  return { from, to: req.version };
}
