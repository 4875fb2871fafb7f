import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { chatStream, executionStream, META_STREAM } from '../../domain/events';
import { nodeIdFor, replayNodeId } from '../../domain/workflowContracts';
import { readEvents } from '../../store/eventLog';
import { api, waitForTurn, waitUntil } from '../../harness/client';
import { shippedFoldersWithScaler } from '../support/componentFolders';
import { startTestStack, TestStack } from '../../harness/stack';

/**
 * Many turns, stops, replays, experiments, approvals and settings edits at once against the
 * real stack, then every invariant of the store: the embedded database loses concurrent updates
 * of one document (store/README.md), so this is what proves each write path race-free.
 */
// Generous: on a loaded 2-core machine (CI runs two test files at once) a burst of turns takes minutes.
jest.setTimeout(900_000);

const SESSIONS = 6;
const TURNS_PER_SESSION = 3;
const QUESTIONS = [
  'what is 12 * 7?',
  'remember that my name is Ada',
  'convert 3 km to m',
  'what is Evoscope?',
  'what is my name?',
];

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-invariants-'));
  const { componentsDir, suitesDir } = await shippedFoldersWithScaler(dir);
  stack = await startTestStack('invariants', { EVOSCOPE_COMPONENTS_DIR: componentsDir, EVOSCOPE_SUITES_DIR: suitesDir });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

const experiment = async (id: string) => (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;
const graphql = (query: string, variables: Record<string, unknown>) => api(stack, 'POST', '/graphql', { query, variables });
const rename = (id: string, title: string) =>
  graphql('mutation($id: ID!, $title: String!) { rename_session(id: $id, title: $title) { id } }', { id, title });
const remove = (id: string) => graphql('mutation($id: ID!) { delete_session(id: $id) }', { id });

test('concurrent turns, stops, replays, experiments, approvals and edits leave every store invariant intact', async () => {
  expect((await api(stack, 'POST', '/api/system/autonomy/level', { level: 'manual' })).status).toBe(200);
  const sessions: string[] = [];
  for (let i = 0; i < SESSIONS; i++) sessions.push((await api(stack, 'POST', '/api/chat/sessions', { title: `s${i}` })).body.id);

  // Phase 1, all at once: several turns per session, stops, two experiments, settings edits, renames and a delete.
  const send = (sessionId: string, i: number) =>
    api(stack, 'POST', `/api/chat/${sessionId}/message`, { content: QUESTIONS[i % QUESTIONS.length] });
  const [sent, experiments, rules] = await Promise.all([
    Promise.all(sessions.flatMap((s, si) => Array.from({ length: TURNS_PER_SESSION }, (_, t) => send(s, si + t)))),
    Promise.all(
      [3, 5].map((seed) => api(stack, 'POST', '/api/sandbox/experiments', { component: 'scaler', seed, repetitions: 1 })),
    ),
    Promise.all([
      api(stack, 'PUT', '/api/meta/change-rules', { min_improvement: 0.02 }),
      api(stack, 'PUT', '/api/meta/change-rules', { max_error_rate_increase: 0.07 }),
      api(stack, 'PUT', '/api/meta/change-rules', { watch_window_minutes: 0 }),
    ]),
    api(stack, 'POST', `/api/chat/${sessions[0]}/stop`),
    api(stack, 'POST', `/api/chat/${sessions[1]}/stop`),
    rename(sessions[SESSIONS - 1], 'renamed a'),
    rename(sessions[SESSIONS - 1], 'renamed b'),
    rename(sessions[SESSIONS - 2], 'renamed while deleted'),
    remove(sessions[SESSIONS - 2]),
  ]);
  expect(sent.map((r) => r.status)).toEqual(sent.map(() => 202));
  expect(rules.map((r) => r.status)).toEqual([200, 200, 200]);
  const turnIds: string[] = sent.map((r) => r.body.turn_id);
  await Promise.all(turnIds.map((id) => waitForTurn(stack, id, 480_000)));

  // Phase 2, all at once: replays of finished turns' nodes while the experiments are decided twice over.
  const waiting = await Promise.all(
    experiments.map((e) =>
      waitUntil(
        `experiment ${e.body.experiment_id}`,
        async () => {
          const x = await experiment(e.body.experiment_id);
          return x && ['awaiting_approval', 'completed', 'failed'].includes(x.status) ? x : null;
        },
        400_000,
      ),
    ),
  );
  const decidable = waiting.filter((x) => x.status === 'awaiting_approval');
  const replayed = sessions
    .slice(0, 3)
    .flatMap((s, i) => ['analyse', 'plan'].map((step) => ({ s, node: nodeIdFor(turnIds[i * TURNS_PER_SESSION + 2], step) })));
  const [replays, decisions] = await Promise.all([
    Promise.all(replayed.map(({ s, node }) => api(stack, 'POST', `/api/execution/${s}/replay/${encodeURIComponent(node)}`))),
    Promise.all(
      decidable.flatMap((x, i) =>
        [0, 1].map(() =>
          api(stack, 'POST', `/api/sandbox/experiments/${x.id}/${i === 0 ? 'approve' : 'reject'}`, {
            by: 'ada',
            reason: 'invariants',
          }),
        ),
      ),
    ),
  ]);
  expect(replays.map((r) => r.status)).toEqual(replays.map(() => 202));
  // Each experiment awaiting a person takes exactly one of two identical answers.
  for (let i = 0; i < decidable.length; i++)
    expect([decisions[2 * i].status, decisions[2 * i + 1].status].sort()).toEqual([200, 409]);
  const replayNodes = replays.map((r) => replayNodeId(r.body.replay_id));
  await Promise.all(
    replayNodes.map((id, i) =>
      waitUntil(
        `replay ${id}`,
        async () => {
          const node = (await api(stack, 'GET', `/api/execution/${replayed[i].s}/node/${encodeURIComponent(id)}`)).body;
          return node?.status === 'success' || node?.status === 'error' ? node : null;
        },
        120_000,
      ),
    ),
  );
  await Promise.all(
    waiting.map((x) =>
      waitUntil(
        `experiment ${x.id} decided`,
        async () => {
          const e = await experiment(x.id);
          return e.decision && e.decision.outcome !== 'pending' ? e : null;
        },
        120_000,
      ),
    ),
  );

  const db = stack.mongo.db;
  await expectTurnInvariants(db, turnIds);
  await expectSessionInvariants(sessions.filter((_, i) => i !== SESSIONS - 2)); // the deleted one answers 404
  await expectEventStreamsIntact(db, [...sessions.flatMap((s) => [chatStream(s), executionStream(s)]), META_STREAM]);
  await expectEvolutionInvariants(waiting.map((x) => x.id));

  // Concurrent edits of different fields of one setting all count.
  expect((await api(stack, 'GET', '/api/meta/change-rules')).body).toMatchObject({
    min_improvement: 0.02,
    max_error_rate_increase: 0.07,
    watch_window_minutes: 0,
  });
  // A rename racing a delete never brings the session back; of two renames one whole title wins.
  const listed = (await api(stack, 'GET', '/api/chat/sessions')).body.map((s: any) => s.id);
  expect(listed).not.toContain(sessions[SESSIONS - 2]);
  expect(['renamed a', 'renamed b']).toContain(
    (await api(stack, 'GET', '/api/chat/sessions')).body.find((s: any) => s.id === sessions[SESSIONS - 1]).title,
  );
});

/** Each turn finished, with exactly its nodes, each in one final state, and one final assistant message. */
async function expectTurnInvariants(db: Db, turnIds: string[]) {
  for (const turnId of turnIds) {
    const turn = await db.collection('turns').findOne({ _id: turnId as never });
    expect(turn?.status).toMatch(/^(completed|stopped|failed)$/);
    const nodes = await db.collection('execution_nodes').find({ turn_id: turnId }).toArray();
    const ids = nodes.map((n) => String(n._id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of nodes) expect(`${String(n._id)} ${n.status}`).toMatch(/ (success|error)$/);
    const plan = nodes.find((n) => n._id === (nodeIdFor(turnId, 'plan') as never));
    const steps = ((plan?.output ?? []) as { id: string }[]).map((s) => nodeIdFor(turnId, s.id));
    const ran = ids.filter((id) => steps.includes(id));
    // The agent loop's own nodes: a decision after each step it ran, and any re-plan.
    const loop = ids.filter((id) => /:(decision|replan)-\d+$/.test(id));
    const decisions = loop.filter((id) => /:decision-\d+$/.test(id));
    const expected = [
      ...['user_input', 'model_selector', 'analyse', 'plan'].map((s) => nodeIdFor(turnId, s)),
      ...ran,
      ...loop,
      ...(ids.includes(nodeIdFor(turnId, 'response')) ? [nodeIdFor(turnId, 'response')] : []),
      ...(turn?.status === 'failed' ? [nodeIdFor(turnId, 'error')] : []),
      nodeIdFor(turnId, 'learning'),
    ];
    expect(ids.sort()).toEqual(expected.sort());
    // A completed turn ran every planned step and answered; a stopped one may have stopped anywhere after the plan.
    if (turn?.status === 'completed')
      expect([ran.length, decisions.length, ids.includes(nodeIdFor(turnId, 'response'))]).toEqual([
        steps.length,
        steps.length,
        true,
      ]);

    const messages = await db.collection('messages').find({ turn_id: turnId }).toArray();
    expect(messages.map((m) => m.role).sort()).toEqual(['assistant', 'user']);
    const answer = messages.find((m) => m.role === 'assistant')!;
    const expectedStatus = { completed: 'complete', stopped: 'stopped', failed: 'error' }[turn!.status as string];
    const error = nodes.find((n) => n.type === 'error');
    const why = {
      turn: turnId,
      turn_status: turn?.status,
      error: error?.input ?? null,
    };
    expect({ ...why, message: answer.status }).toEqual({ ...why, message: expectedStatus });
  }
}

/** The counts a session shows are its messages; each message's final announcement is its stored content. */
async function expectSessionInvariants(sessions: string[]) {
  for (const id of sessions) {
    const session = (await api(stack, 'GET', '/api/chat/sessions')).body.find((s: any) => s.id === id);
    const { messages, has_more } = (await api(stack, 'GET', `/api/chat/${id}/messages?limit=200`)).body;
    expect(has_more).toBe(false);
    expect(new Set(messages.map((m: any) => m.id)).size).toBe(messages.length);
    expect(session.message_count).toBe(messages.length);
    expect(messages).toHaveLength(2 * TURNS_PER_SESSION);
    const events = await readAll(stack.mongo.db, chatStream(id));
    for (const m of messages.filter((x: any) => x.role === 'assistant')) {
      // Announced once per attempt that finished it (a retry announces its own text): the newest is what is stored.
      const completed = events.filter((e: any) => e.data.type === 'message_completed' && e.data.message.id === m.id);
      expect(completed.length).toBeGreaterThanOrEqual(1);
      expect(completed.at(-1).data.message).toMatchObject({ content: m.content, status: m.status });
    }
    const graph = (await api(stack, 'GET', `/api/execution/${id}/graph`)).body;
    const executionEvents = await readAll(stack.mongo.db, executionStream(id));
    for (const node of graph.nodes) {
      const finals = executionEvents.filter(
        (e: any) => (e.data.type === 'node_completed' || e.data.type === 'node_failed') && e.data.node.id === node.id,
      );
      expect(finals.filter((e: any) => e.data.type === 'node_completed').length).toBeLessThanOrEqual(1);
      expect(finals.at(-1)?.data.node.status).toBe(node.status);
    }
  }
}

async function readAll(db: Db, stream: string) {
  const all: any[] = [];
  for (;;) {
    const batch = await readEvents(db, stream, all.length);
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Every stream is 1..n without a gap, and no event key was stored twice. */
async function expectEventStreamsIntact(db: Db, streams: string[]) {
  for (const stream of streams) {
    const events = await readAll(db, stream);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
    const stored = await db.collection('events').countDocuments({ stream });
    expect(stored).toBe(events.length);
  }
}

/** Each experiment decided once (after at most one "awaiting a person"); each component has exactly one current version, the one its changes end at. */
async function expectEvolutionInvariants(experimentIds: string[]) {
  const meta = await readAll(stack.mongo.db, META_STREAM);
  for (const id of experimentIds) {
    const e = await experiment(id);
    expect(e.status).toMatch(/^(completed|approved|rejected|failed)$/);
    const decided = meta.filter(
      (m) => m.data.type === 'experiment_decided' && m.data.experiment_id === id && m.data.outcome !== 'pending',
    );
    expect(decided.map((m) => m.data.outcome)).toEqual([e.decision.outcome]);
  }
  for (const { name } of (await api(stack, 'GET', '/api/meta/components')).body.components) {
    const c = (await api(stack, 'GET', `/api/meta/components/${name}`)).body;
    const current = c.versions.filter((v: any) => v.status === 'current').map((v: any) => v.version);
    expect(current).toEqual([c.current_version]);
    expect(c.changes.at(-1)?.to_version ?? c.current_version).toBe(c.current_version);
  }
}
