import { chatStream, executionStream } from '../../domain/events';
import { collections } from '../../store/collections';
import { appendEvents, readEvents } from '../../store/eventLog';
import { getGraphParts, saveNodePosition } from '../../store/graphStore';
import { createSession, deleteSession } from '../../store/sessionStore';
import { listRunSteps, saveRunStep } from '../../store/runStepStore';
import { PURGE_DELETED_AFTER_MS, RUN_STEPS_KEPT_MS, trimStore } from '../../store/storeTrimming';
import { useTestDatabase } from '../support/testDatabase';

/** What the worker trims on its schedule (store/storeTrimming.ts), on the real database. */
const store = useTestDatabase('store_trimming');

const message = (sessionId: string, n: number) => ({
  _id: `${sessionId}:m${n}`,
  id: `${sessionId}:m${n}`,
  session_id: sessionId,
  role: 'user' as const,
  content: `message ${n}`,
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  seq_in_session: n,
});

async function sessionWithRecords(id: string) {
  await createSession(store.db, id, id);
  await collections(store.db).messages.insertMany([1, 2, 3].map((n) => message(id, n)) as never[]);
  await collections(store.db).nodes.insertOne({ _id: `${id}:n`, id: `${id}:n`, session_id: id } as never);
  await saveNodePosition(store.db, id, `${id}:n`, { x: 1, y: 2 });
  await appendEvents(store.db, [
    { stream: chatStream(id), key: `${id}:c`, data: {} },
    { stream: executionStream(id), key: `${id}:e`, data: {} },
  ]);
}

test('a session deleted longer ago than the bound is purged, a recent deletion and a live session are kept', async () => {
  for (const id of ['s-old', 's-recent', 's-live']) await sessionWithRecords(id);
  await deleteSession(store.db, 's-old');
  await deleteSession(store.db, 's-recent');
  const deletedAt = Date.now();
  await collections(store.db).sessionDeletions.updateOne(
    { _id: 's-old' },
    { $set: { at: new Date(deletedAt - PURGE_DELETED_AFTER_MS - 60_000).toISOString() } },
  );

  expect((await trimStore(store.db, deletedAt)).sessions_purged).toBe(1);
  const c = collections(store.db);
  const left = async (id: string) => ({
    session: await c.sessions.countDocuments({ _id: id }),
    messages: await c.messages.countDocuments({ session_id: id }),
    nodes: await c.nodes.countDocuments({ session_id: id }),
    positions: await c.nodePositions.countDocuments({ session_id: id }),
    events: (await readEvents(store.db, chatStream(id), 0)).length + (await readEvents(store.db, executionStream(id), 0)).length,
  });
  expect(await left('s-old')).toEqual({ session: 0, messages: 0, nodes: 0, positions: 0, events: 0 });
  expect(await c.sessionDeletions.countDocuments({ _id: 's-old' })).toBe(1); // stays deleted
  const kept = { session: 1, messages: 3, nodes: 1, positions: 1, events: 2 };
  expect(await left('s-recent')).toEqual(kept);
  expect(await left('s-live')).toEqual(kept);
  expect((await trimStore(store.db, deletedAt)).sessions_purged).toBe(0);
});

test('superseded position records are trimmed to the newest of each node, and reads answer the same', async () => {
  await createSession(store.db, 's-moves', 'moves');
  await collections(store.db).nodes.insertOne({ _id: 'moves:n', id: 'moves:n', session_id: 's-moves' } as never);
  // Saved before one record per node: a record per move, random ids.
  await collections(store.db).nodePositions.insertMany(
    [1, 2, 3].map((n) => ({
      _id: `legacy-${n}`,
      session_id: 's-moves',
      node_id: 'moves:n',
      x: n,
      y: n,
      saved_at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    })),
  );
  const before = (await getGraphParts(store.db, 's-moves')).nodes[0].position;
  expect(before).toEqual({ x: 3, y: 3 });

  expect((await trimStore(store.db)).positions_trimmed).toBe(2);
  expect(await collections(store.db).nodePositions.find({ node_id: 'moves:n' }).toArray()).toHaveLength(1);
  expect((await getGraphParts(store.db, 's-moves')).nodes[0].position).toEqual(before);
  expect((await trimStore(store.db)).positions_trimmed).toBe(0);
});

test("a run's steps are trimmed once its last step ended longer ago than the bound, all of them; a run with a recent step keeps all", async () => {
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const step = (run_id: string, key: string, endedMsAgo: number) =>
    saveRunStep(store.db, {
      run_id,
      key,
      parent_key: null,
      name: key,
      started_at: at(endedMsAgo + 1000),
      ended_at: at(endedMsAgo),
      attributes: {},
      error: null,
    });
  const longAgo = RUN_STEPS_KEPT_MS + 3600_000;
  await step('run-ended', 'proposal', longAgo + 60_000);
  await step('run-ended', 'decision', longAgo);
  // Waiting for a person since long ago, its last step recent: the trace it will send needs its first step too.
  await step('run-waiting', 'proposal', longAgo);
  await step('run-waiting', 'decision', 60_000);

  expect((await trimStore(store.db, now)).run_steps_trimmed).toBe(2);
  expect(await listRunSteps(store.db, 'run-ended')).toEqual([]);
  expect((await listRunSteps(store.db, 'run-waiting')).map((s) => s.key)).toEqual(['proposal', 'decision']);
  expect((await trimStore(store.db, now)).run_steps_trimmed).toBe(0);
});
