import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import type { ActivityDeps } from '../../activities/deps';
import { createUserInputActivities } from '../../activities/turn/recordUserInput';
import type { MessageRecord } from '../../domain/chat';
import type { UserInput } from '../../domain/turnContracts';
import { userInputNodeId } from '../../domain/workflowContracts';
import { DB_BACKENDS, dbBackendFrom, type DbBackend } from '../../scripts/lib/embeddedDatabase';
import { stopAll, type ManagedProcess } from '../../scripts/lib/processes';
import { api, waitForTurn } from '../../harness/client';
import { startDatabase, uniqueDbName } from '../../harness/servers';
import { startTestStack, type TestStack } from '../../harness/stack';
import { collections, insertOnce } from '../../store/collections';
import { insertMessageOnce } from '../../store/messageStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { countMessage, countsOf, RECENT_COUNTED } from '../../store/sessionCounters';
import { createSession, getSession, listSessions } from '../../store/sessionStore';

/**
 * A session's message count and newest message time, kept on its document: right after turns,
 * exact under concurrent and repeated inserts on both embedded backends, healed by the retry of an
 * insert whose count a crash cut off, derived once for sessions stored before the counters, and
 * read without reading any message.
 */
const suiteBackend = dbBackendFrom(process.env);
const otherBackend = DB_BACKENDS.find((b) => b !== suiteBackend)!;
const clients = new Map<DbBackend, MongoClient>();
const started: ManagedProcess[] = [];
let tmpDir: string;
/** The commands the suite backend's client sent, as `command collection`. */
let sent: string[] = [];
let stack: TestStack;

beforeAll(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-session-counts-'));
  fs.chmodSync(tmpDir, 0o755); // PostgreSQL may run as another user (embeddedDatabase.ts)
  const suite = await MongoClient.connect(process.env.MONGODB_URL!, { monitorCommands: true });
  suite.on('commandStarted', (event: CommandStartedEvent) => {
    const target = event.command[event.commandName];
    if (typeof target === 'string') sent.push(`${event.commandName} ${target}`);
  });
  clients.set(suiteBackend, suite);
  const otherDir = path.join(tmpDir, otherBackend);
  fs.mkdirSync(otherDir, { mode: 0o755 });
  clients.set(otherBackend, await MongoClient.connect((await startDatabase(otherDir, started, true, otherBackend)).url));
  stack = await startTestStack('session_counts');
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([...clients.values()].map((c) => c.close()));
  await stopAll(started, 5000);
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function databaseOn(backend: DbBackend): Promise<Db> {
  const db = clients.get(backend)!.db(uniqueDbName('session_counts'));
  await prepareDatabase(db);
  return db;
}

let messages = 0;
/** A user message of the session, `secondsIn` seconds into 2030. */
function message(sessionId: string, secondsIn: number): MessageRecord {
  messages += 1;
  return {
    id: `m-${sessionId}-${messages}`,
    session_id: sessionId,
    role: 'user',
    content: `message ${messages}`,
    timestamp: new Date(Date.UTC(2030, 0, 1, 0, 0, secondsIn)).toISOString(),
    status: 'complete',
    node_ids: [],
    turn_id: `t-${messages}`,
    model: null,
    error: null,
  };
}

const countOf = async (db: Db, id: string) => {
  const session = await getSession(db, id);
  return { count: session?.message_count, updated_at: session?.updated_at };
};

describe.each(DB_BACKENDS)('on %s', (backend) => {
  test('concurrent inserts of one session count each message once, repeated ones included', async () => {
    const db = await databaseOn(backend);
    await createSession(db, 's-busy', 'busy');
    const batch = Array.from({ length: 40 }, (_, i) => message('s-busy', i));
    expect(await Promise.all(batch.map((m) => insertMessageOnce(db, m)))).toEqual(batch.map(() => true));
    expect(await countOf(db, 's-busy')).toEqual({ count: 40, updated_at: batch[39].timestamp });
    // Each sent twice at once: fewer than RECENT_COUNTED others can be counted between its two attempts.
    const pairs = Array.from({ length: RECENT_COUNTED / 2 }, (_, i) => message('s-busy', 40 + i));
    const attempts = await Promise.all([...pairs, ...pairs].map((m) => insertMessageOnce(db, m)));
    expect(attempts.filter(Boolean)).toHaveLength(pairs.length);
    // And the pairs again, all at once: the last counted, so among the newest RECENT_COUNTED counted
    // (which of the batch those are depends on the order its concurrent counts landed in).
    expect(await Promise.all(pairs.map((m) => insertMessageOnce(db, m)))).toEqual(pairs.map(() => false));
    expect(await countOf(db, 's-busy')).toEqual({ count: 40 + pairs.length, updated_at: pairs.at(-1)!.timestamp });
    // The ids that make counting idempotent stay bounded.
    const doc = await collections(db).sessions.findOne({ _id: 's-busy' });
    expect(doc!.recent_message_ids!.length).toBeGreaterThanOrEqual(RECENT_COUNTED);
    expect(doc!.recent_message_ids!.length).toBeLessThan(2 * RECENT_COUNTED);
  });

  test('an insert whose count a crash cut off is counted by its retry, once', async () => {
    const db = await databaseOn(backend);
    await createSession(db, 's-crash', 'crash');
    const before = message('s-crash', 1);
    await insertMessageOnce(db, before);
    // The crash: the message went in, its count did not.
    const cut = message('s-crash', 2);
    await insertOnce(collections(db).messages, { _id: cut.id, ...cut, seq_in_session: 2 });
    expect((await countOf(db, 's-crash')).count).toBe(1);

    expect(await insertMessageOnce(db, cut)).toBe(false);
    expect(await countOf(db, 's-crash')).toEqual({ count: 2, updated_at: cut.timestamp });
    expect(await insertMessageOnce(db, cut)).toBe(false);
    expect(await insertMessageOnce(db, before)).toBe(false);
    expect((await countOf(db, 's-crash')).count).toBe(2);
  });

  test('sessions stored before the counters are listed with their messages counted, once', async () => {
    const db = await databaseOn(backend);
    const { sessions, messages } = collections(db);
    const old = (id: string, stale?: number) => ({
      _id: id,
      id,
      title: id,
      created_at: '2029-01-01T00:00:00.000Z',
      updated_at: '2029-01-01T00:00:00.000Z',
      ...(stale === undefined ? {} : { message_count: stale }),
    });
    // One without any count, one with a count kept by an older version that drifted.
    await sessions.insertMany([old('s-old'), old('s-drifted', 9), old('s-empty')]);
    for (const [id, n] of [
      ['s-old', 3],
      ['s-drifted', 2],
    ] as const)
      for (let i = 0; i < n; i++) {
        const m = message(id, i);
        await insertOnce(messages, { _id: m.id, ...m, seq_in_session: i });
      }
    const counts = async () => Object.fromEntries((await listSessions(db)).map((s) => [s.id, [s.message_count, s.updated_at]]));
    const expected = {
      's-old': [3, new Date(Date.UTC(2030, 0, 1, 0, 0, 2)).toISOString()],
      's-drifted': [2, new Date(Date.UTC(2030, 0, 1, 0, 0, 1)).toISOString()],
      's-empty': [0, '2029-01-01T00:00:00.000Z'],
    };
    expect(await counts()).toEqual(expected);
    expect(await counts()).toEqual(expected);

    // Counted from now on. And a message stored and counted while a read derived the counts (after
    // it read the messages, before it stored what it found) makes that store give way to the next read.
    await insertMessageOnce(db, message('s-old', 40));
    await sessions.updateOne({ _id: 's-empty' }, { $unset: { counts_complete: '' } });
    const stale = (await sessions.findOne({ _id: 's-empty' }))!;
    const late = message('s-empty', 30);
    await countMessage(db, late);
    await countsOf(db, [stale]);
    await insertOnce(messages, { _id: late.id, ...late, seq_in_session: 30 });
    expect(await counts()).toEqual({
      ...expected,
      's-old': [4, new Date(Date.UTC(2030, 0, 1, 0, 0, 40)).toISOString()],
      's-empty': [1, late.timestamp],
    });
    expect((await sessions.findOne({ _id: 's-empty' }))!.counts_complete).toBe(true);
  });
});

test("the turn's first step counts a message it stored and was cut off before counting, and not the API's again", async () => {
  const db = await databaseOn(suiteBackend);
  const step = createUserInputActivities({ db } as ActivityDeps);
  await createSession(db, 's-step', 'step');
  const input = (n: number): UserInput => ({
    sessionId: 's-step',
    turnId: `s-step:t${n}`,
    workflowId: `wf-s-step-${n}`,
    userMessageId: `m-step-${n}`,
    content: `question ${n}`,
  });
  // An earlier attempt stored the message (not yet linked to its node) and stopped.
  const cut = message('s-step', 1);
  await insertOnce(collections(db).messages, { _id: 'm-step-1', ...cut, id: 'm-step-1', seq_in_session: 1 });
  await step.recordUserInput(input(1));
  expect((await countOf(db, 's-step')).count).toBe(1);
  await step.recordUserInput(input(1));
  expect((await countOf(db, 's-step')).count).toBe(1);

  // The API stored and counted its message, linked to the turn's first node: the step sends the session nothing.
  await insertMessageOnce(db, {
    ...message('s-step', 2),
    id: 'm-step-2',
    turn_id: 's-step:t2',
    node_ids: [userInputNodeId('s-step:t2')],
  });
  sent = [];
  await step.recordUserInput(input(2));
  expect(sent.filter((command) => command.endsWith(' sessions'))).toEqual([]);
  expect((await countOf(db, 's-step')).count).toBe(2);
});

test('listing sessions and looking one up read no messages', async () => {
  const db = await databaseOn(suiteBackend);
  await createSession(db, 's-read', 'read');
  await insertMessageOnce(db, message('s-read', 1));
  sent = [];
  const [listed] = await listSessions(db);
  await getSession(db, 's-read');
  expect(listed.message_count).toBe(1);
  expect(sent.filter((command) => command.endsWith(' messages'))).toEqual([]);
  expect(sent.length).toBeGreaterThan(0);
});

test('counts are right right after turns, through the API', async () => {
  const { body: session } = await api(stack, 'POST', '/api/chat/sessions', { title: 'turns' });
  for (const content of ['what is 1+1?', 'what is 2+2?']) {
    const { body: turn } = await api(stack, 'POST', `/api/chat/${session.id}/message`, { content });
    await waitForTurn(stack, turn.turn_id);
  }
  const { body: page } = await api(stack, 'GET', `/api/chat/${session.id}/messages?limit=10`);
  const listed = (await api(stack, 'GET', '/api/chat/sessions')).body.find((s: { id: string }) => s.id === session.id);
  expect(page.messages).toHaveLength(4);
  expect(listed).toMatchObject({ message_count: 4, updated_at: page.messages[3].timestamp });
  expect((await getSession(stack.mongo.db, session.id))?.message_count).toBe(4);
});
