import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { MessageRecord } from '../domain/chat';
import { DB_BACKENDS } from '../scripts/lib/embeddedDatabase';
import { stopAll, type ManagedProcess } from '../scripts/lib/processes';
import { startDatabase } from '../harness/servers';
import { collections, insertOnce } from '../store/collections';
import { insertMessageOnce } from '../store/messageStore';
import { countsFromMessages, countsOf, type Counts } from '../store/sessionCounters';
import { createSession, listSessions } from '../store/sessionStore';
import { stats } from './stats';

/**
 * What the message counters on the session cost and save, on both embedded backends, with the
 * store's own functions (store/README.md has the figures): each session's message count and
 * newest message time read from every message (the read before the counters; now only what a
 * session stored before them costs, once) or from the session documents (now); `listSessions`
 * whole, its first read after an upgrade (which derives and stores every session's counts) and
 * the reads after it; and a message insert alone or with its counter update.
 * Run: `npx tsx bench/messageCounts.ts [sessions] [messages per session]`.
 */
const SESSIONS = Number(process.argv[2] ?? 60);
const MESSAGES = Number(process.argv[3] ?? 10);
const ROUNDS = 5;

const sessionIds = Array.from({ length: SESSIONS }, (_, i) => `s-${i}`);

const message = (session: string, n: number): MessageRecord => ({
  id: `${session}-m${n}`,
  session_id: session,
  role: n % 2 ? 'assistant' : 'user',
  content: 'x'.repeat(400),
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  status: 'complete',
  node_ids: [],
  turn_id: `${session}-t${n >> 1}`,
  model: null,
  error: null,
});

/** Stores the sessions and their messages; returns the ms per message insert without and with its counter update. */
async function seed(db: Db): Promise<{ insert: number; insertAndCount: number }> {
  await collections(db).messages.createIndex({ session_id: 1, seq_in_session: 1 });
  for (const id of sessionIds) await createSession(db, id, id);
  for (let n = 0; n < MESSAGES - 1; n++) await Promise.all(sessionIds.map((id) => insertMessageOnce(db, message(id, n))));
  // The last message of each session twice over: a plain insert, then the store's insert with its counter update.
  const timed = async (write: (m: MessageRecord) => Promise<unknown>) => {
    const start = performance.now();
    for (const id of sessionIds) await write(message(id, MESSAGES - 1));
    return (performance.now() - start) / SESSIONS;
  };
  const { messages } = collections(db);
  const insert = await timed((m) => insertOnce(messages, { _id: m.id, ...m, seq_in_session: MESSAGES - 1 }));
  await messages.deleteMany({ _id: { $in: sessionIds.map((id) => message(id, MESSAGES - 1).id) } });
  const insertAndCount = await timed((m) => insertMessageOnce(db, m));
  return { insert, insertAndCount };
}

const p50 = async (run: () => Promise<unknown>) => {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return stats(times).p50_ms;
};

const candidates: Record<string, (db: Db, ids: string[]) => Promise<Map<string, Counts>>> = {
  'read every message (before; now once per session stored before the counters)': countsFromMessages,
  'counters on the session documents (now)': async (db, ids) =>
    countsOf(
      db,
      await collections(db)
        .sessions.find({ _id: { $in: ids } }, { projection: { recent_message_ids: 0 } })
        .toArray(),
    ),
};

/** The candidates' p50 for `ids`, after checking that each answers what reading every message does. */
async function measureReads(db: Db, ids: string[]) {
  const figures: Record<string, number> = {};
  const reference = await countsFromMessages(db, ids);
  for (const [name, candidate] of Object.entries(candidates)) {
    const answer = await candidate(db, ids);
    for (const [id, a] of reference) {
      const b = answer.get(id);
      if (b?.count !== a.count || b.last !== a.last)
        throw new Error(`${name} answers ${JSON.stringify(b)} for ${id}, not ${JSON.stringify(a)}`);
    }
    figures[name] = await p50(() => candidate(db, ids));
    console.error(`${ids.length} sessions, ${name}: ${figures[name]} ms`);
  }
  return figures;
}

/** `listSessions` whole: the first read after the counters came (it derives and stores them), then the reads after. */
async function measureList(db: Db) {
  await collections(db).sessions.updateMany({}, { $unset: { counts_complete: '' } });
  const start = performance.now();
  await listSessions(db);
  const first = Number((performance.now() - start).toFixed(2));
  return { 'first read after the upgrade': first, 'reads after it': await p50(() => listSessions(db)) };
}

async function main() {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-message-counts-'));
  fs.chmodSync(tmpDir, 0o755);
  const started: ManagedProcess[] = [];
  const report: Record<string, unknown> = { sessions: SESSIONS, messages_per_session: MESSAGES, load: os.loadavg() };
  try {
    // The default backend first.
    for (const backend of [...DB_BACKENDS].reverse()) {
      const dir = path.join(tmpDir, backend);
      fs.mkdirSync(dir, { mode: 0o755 });
      const { url } = await startDatabase(dir, started, true, backend);
      const client = await MongoClient.connect(url);
      try {
        const db = client.db('message_counts');
        const writes = await seed(db);
        report[backend] = {
          'ms per message insert': Number(writes.insert.toFixed(2)),
          'ms per message insert + counter update': Number(writes.insertAndCount.toFixed(2)),
          [`ms for all ${SESSIONS} sessions`]: await measureReads(db, sessionIds),
          'ms for a page of 20 sessions': await measureReads(db, sessionIds.slice(0, 20)),
          [`ms for listSessions, ${SESSIONS} sessions`]: await measureList(db),
        };
        console.error(backend, JSON.stringify(report[backend]));
      } finally {
        await client.close();
      }
    }
  } finally {
    await stopAll(started, 5000);
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  report.load_after = os.loadavg();
  console.log(JSON.stringify(report, null, 2));
}

void main();
