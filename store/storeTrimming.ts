import type { Db } from 'mongodb';
import { chatStream, executionStream } from '../domain/events';
import { collections } from './collections';
import { deleteRunSteps, runStepEnds } from './runStepStore';

/**
 * What would otherwise grow for ever, trimmed on a schedule by every worker (each trim is
 * idempotent, so workers trimming at once only repeat each other's deletes):
 * - a deleted session's records (its messages, turns, nodes, older nodes' payload records, edges,
 *   positions, memories, events, and the session itself) once it has been deleted for PURGE_DELETED_AFTER_MS: runs still
 *   referencing it have long ended by then; the tombstone stays, so it stays deleted;
 * - node position records superseded by a newer one of the same node (those saved before one
 *   record per node, store/README.md): the newest per node stays, so reads answer the same;
 * - the steps of a run (store/runStepStore.ts, stored while tracing is on) once the run's last
 *   step ended more than RUN_STEPS_KEPT_MS ago: its trace was sent when it ended.
 * The tick log trims itself as it is written (store/eventWakeups.ts).
 */
const DAY_MS = 24 * 3600_000;
export const PURGE_DELETED_AFTER_MS = 7 * DAY_MS;
/**
 * A day more than the longest a run waits between two of its steps (a person's answer to an
 * experiment: approval_timeout_minutes, at most 30 days), so a run still in flight keeps every
 * step its trace will show.
 */
export const RUN_STEPS_KEPT_MS = 31 * DAY_MS;
export const TRIM_EVERY_MS = 3600_000;
/** Ids deleted per command. */
const DELETE_BATCH = 500;

async function deleteInBatches(ids: string[], remove: (batch: string[]) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < ids.length; i += DELETE_BATCH) await remove(ids.slice(i, i + DELETE_BATCH));
  return ids.length;
}

/** Removes the records of sessions deleted before `cutoff` (ISO time); returns how many sessions it purged. */
export async function purgeDeletedSessions(db: Db, cutoff: string): Promise<number> {
  const c = collections(db);
  const due = await c.sessionDeletions.find({ at: { $lt: cutoff } }, { projection: { _id: 1 } }).toArray();
  const purged = await Promise.all(
    due.map(async ({ _id: sessionId }) => {
      if ((await c.sessions.findOne({ _id: sessionId }, { projection: { _id: 1 } })) === null) return false;
      const ofSession = { session_id: sessionId };
      await Promise.all([
        c.messages.deleteMany(ofSession),
        c.turns.deleteMany(ofSession),
        c.nodes.deleteMany(ofSession),
        c.nodePayloads.deleteMany(ofSession),
        c.edges.deleteMany(ofSession),
        c.nodePositions.deleteMany(ofSession),
        c.memories.deleteMany(ofSession),
        c.events.deleteMany({ stream: { $in: [chatStream(sessionId), executionStream(sessionId)] } }),
      ]);
      // Last: a purge cut short is found again (by its session document) and finished next time.
      await c.sessions.deleteOne({ _id: sessionId });
      return true;
    }),
  );
  return purged.filter(Boolean).length;
}

/** Deletes every node position record but the newest of its node; returns how many it deleted. */
export async function trimSupersededPositions(db: Db): Promise<number> {
  const { nodePositions } = collections(db);
  const records = await nodePositions.find({}, { projection: { _id: 1, node_id: 1, saved_at: 1 } }).toArray();
  const newest = new Map<string, { _id: string; saved_at: string }>();
  for (const record of records) {
    const known = newest.get(record.node_id);
    // Ties: the one-per-node record (`_id` = node id) stays.
    if (!known || record.saved_at > known.saved_at || (record.saved_at === known.saved_at && record._id === record.node_id))
      newest.set(record.node_id, record);
  }
  const kept = new Set([...newest.values()].map((r) => r._id));
  const superseded = records.filter((r) => !kept.has(r._id)).map((r) => r._id);
  return deleteInBatches(superseded, (ids) => nodePositions.deleteMany({ _id: { $in: ids } }));
}

/** Deletes the steps of every run whose last step ended before `cutoff` (ISO time); returns how many steps it deleted. */
export async function trimEndedRunSteps(db: Db, cutoff: string): Promise<number> {
  const steps = await runStepEnds(db);
  const lastEnded = new Map<string, string>();
  for (const step of steps) if (step.ended_at > (lastEnded.get(step.run_id) ?? '')) lastEnded.set(step.run_id, step.ended_at);
  const ended = steps.filter((step) => lastEnded.get(step.run_id)! < cutoff).map((step) => step._id);
  return deleteInBatches(ended, (ids) => deleteRunSteps(db, ids));
}

export async function trimStore(
  db: Db,
  now = Date.now(),
): Promise<{ sessions_purged: number; positions_trimmed: number; run_steps_trimmed: number }> {
  const sessions_purged = await purgeDeletedSessions(db, new Date(now - PURGE_DELETED_AFTER_MS).toISOString());
  const positions_trimmed = await trimSupersededPositions(db);
  const run_steps_trimmed = await trimEndedRunSteps(db, new Date(now - RUN_STEPS_KEPT_MS).toISOString());
  return { sessions_purged, positions_trimmed, run_steps_trimmed };
}

/** Trims shortly after start and then every TRIM_EVERY_MS, until stopped; a failed trim waits for the next. */
export function startStoreTrimming(db: Db): { stop(): void } {
  const trim = () => void trimStore(db).catch(() => undefined);
  const first = setTimeout(trim, 60_000);
  const timer = setInterval(trim, TRIM_EVERY_MS);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
