import type { Db } from 'mongodb';
import type { CurrentVersionChange, CurrentVersionChangeResult } from '../domain/evolution';
import { emitMetaEvent } from '../store/emit';
import { type ComponentDoc, getChange, getComponent, getVersion, recordChange } from '../store/evolutionStore';
import { syncDiskFile, writeVersionFile } from './folderSync';

/**
 * The component once an edit the developer left in its file is recorded (so it is never lost,
 * and a change goes from it): read again only when the file held such an edit.
 */
async function afterDiskSync(db: Db, dir: string, known: ComponentDoc): Promise<ComponentDoc> {
  const state = await syncDiskFile(db, dir, known.file_path);
  return state === 'in_step' ? ((await getComponent(db, known._id)) ?? known) : known;
}

/**
 * Makes a stored version current, if `expectedCurrent` (when given) still is: an edit the
 * developer left in its file is recorded first, then the store (the change record, which is what
 * makes the version current), then its file (so the file watcher sees a version that is already
 * current and records nothing twice), then the event. `known` is the component as its caller
 * read it; a retried change whose first try recorded the change finishes it (every write is
 * idempotent).
 */
export async function makeVersionCurrent(
  db: Db,
  dir: string,
  req: CurrentVersionChange,
  known: ComponentDoc,
): Promise<CurrentVersionChangeResult> {
  const component = await afterDiskSync(db, dir, known);
  const previous = await getChange(db, req.key);
  if (!previous && req.expectedCurrent !== null && component.current_version !== req.expectedCurrent) {
    return { changed: false, current: component.current_version };
  }
  const version = await getVersion(db, req.component, req.version);
  if (!version) throw new Error(`${req.component} has no version ${req.version}`);
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
  return { changed: true, from, to: req.version };
}
