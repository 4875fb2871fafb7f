import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { DB_BACKENDS } from '../scripts/lib/embeddedDatabase';
import { stopAll, type ManagedProcess } from '../scripts/lib/processes';
import { startDatabase } from '../harness/servers';
import { activityOf } from '../store/sessionStore';
import { stats } from './stats';

/**
 * How `listSessions` should learn each session's message count and newest message time (the
 * session list's order), measured side by side on both embedded backends (store/README.md has
 * the figures): every message of the listed sessions read (projected) and counted in the API;
 * an aggregate `$match` + `$group` `$sum` (FerretDB v1 has no `$max` accumulator) or a
 * `countDocuments` per session, each with a newest-message `findOne` per session; and counters kept on the session by `$inc` / `$max` beside each insert.
 * Run: `npx tsx bench/messageCounts.ts [sessions] [messages per session]`.
 */
const SESSIONS = Number(process.argv[2] ?? 100);
const MESSAGES = Number(process.argv[3] ?? 10);
const ROUNDS = 5;

interface MessageRow {
  _id: string;
  session_id: string;
  role: string;
  content: string;
  timestamp: string;
  seq_in_session: number;
}
const messagesOf = (db: Db) => db.collection<MessageRow>('messages');

type Activity = Map<string, { count: number; last: string | null }>;

/** Each session's newest message time: one findOne per session, by the (session_id, seq_in_session) index. */
async function newestOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const messages = db.collection<{ session_id: string; timestamp: string; seq_in_session: number }>('messages');
  const found = await Promise.all(
    ids.map((id) => messages.findOne({ session_id: id }, { sort: { seq_in_session: -1 }, projection: { timestamp: 1 } })),
  );
  return new Map(found.flatMap((m, i) => (m ? [[ids[i], m.timestamp] as const] : [])));
}

const candidates: Record<string, (db: Db, ids: string[]) => Promise<Activity>> = {
  'read every message': activityOf,
  'aggregate $group $sum + findOne newest per session': async (db, ids) => {
    // FerretDB v1's $group knows $sum and $count only: the newest time is one findOne per session.
    const [rows, newest] = await Promise.all([
      db
        .collection('messages')
        .aggregate<{ _id: string; count: number }>([
          { $match: { session_id: { $in: ids } } },
          { $group: { _id: '$session_id', count: { $sum: 1 } } },
        ])
        .toArray(),
      newestOf(db, ids),
    ]);
    const counts = new Map(rows.map((r) => [r._id, r.count]));
    return new Map(ids.map((id) => [id, { count: counts.get(id) ?? 0, last: newest.get(id) ?? null }]));
  },
  'countDocuments + findOne newest per session': async (db, ids) => {
    const messages = db.collection<{ session_id: string }>('messages');
    const [counts, newest] = await Promise.all([
      Promise.all(ids.map((id) => messages.countDocuments({ session_id: id }))),
      newestOf(db, ids),
    ]);
    return new Map(ids.map((id, i) => [id, { count: counts[i], last: newest.get(id) ?? null }]));
  },
  'counters on the session ($inc, $max)': async (db, ids) => {
    const docs = await db
      .collection<{ _id: string; message_count?: number; last_message_at?: string }>('sessions')
      .find({ _id: { $in: ids } }, { projection: { message_count: 1, last_message_at: 1 } })
      .toArray();
    return new Map(docs.map((d) => [d._id, { count: d.message_count ?? 0, last: d.last_message_at ?? null }]));
  },
};

/** Inserts the sessions and their messages; returns the ms per message insert without and with the counter update. */
async function seed(db: Db): Promise<{ insert: number; insertAndCount: number }> {
  const ids = Array.from({ length: SESSIONS }, (_, i) => `s-${i}`);
  await db.collection('messages').createIndex({ session_id: 1, seq_in_session: 1 });
  await db.collection<{ _id: string }>('sessions').insertMany(ids.map((id) => ({ _id: id, title: id })));
  const message = (session: string, n: number): MessageRow => ({
    _id: `${session}-m${n}`,
    session_id: session,
    role: n % 2 ? 'assistant' : 'user',
    content: 'x'.repeat(400),
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    seq_in_session: n,
  });
  for (let n = 0; n < MESSAGES - 1; n++) await messagesOf(db).insertMany(ids.map((id) => message(id, n)));
  const last = MESSAGES - 1;
  const sessions = db.collection<{ _id: string }>('sessions');
  // The last message of each session twice over: a plain insert, then an insert with its counter update.
  const timed = async (write: (id: string) => Promise<unknown>) => {
    const start = performance.now();
    for (const id of ids) await write(id);
    return (performance.now() - start) / ids.length;
  };
  const insert = await timed((id) => messagesOf(db).insertOne(message(id, last)));
  await db.collection('messages').deleteMany({ seq_in_session: last });
  const insertAndCount = await timed(async (id) => {
    const m = message(id, last);
    await messagesOf(db).insertOne(m);
    await sessions.updateOne({ _id: id }, { $inc: { message_count: 1 }, $max: { last_message_at: m.timestamp } });
  });
  // The counters of the earlier messages, as if they had been kept from the start.
  await Promise.all(ids.map((id) => sessions.updateOne({ _id: id }, { $inc: { message_count: MESSAGES - 1 } })));
  return { insert, insertAndCount };
}

async function measure(db: Db, ids: string[]) {
  const figures: Record<string, number> = {};
  const reference = await candidates['read every message'](db, ids);
  for (const [name, candidate] of Object.entries(candidates)) {
    const answer = await candidate(db, ids);
    for (const [id, a] of reference) {
      const b = answer.get(id);
      if (b?.count !== a.count || b.last !== a.last)
        throw new Error(`${name} answers ${JSON.stringify(b)} for ${id}, not ${JSON.stringify(a)}`);
    }
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const start = performance.now();
      await candidate(db, ids);
      times.push(performance.now() - start);
    }
    figures[name] = stats(times).p50_ms;
    console.error(`${ids.length} sessions, ${name}: ${figures[name]} ms`);
  }
  return figures;
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
        const all = Array.from({ length: SESSIONS }, (_, i) => `s-${i}`);
        report[backend] = {
          'ms per message insert': Number(writes.insert.toFixed(2)),
          'ms per message insert + counter update': Number(writes.insertAndCount.toFixed(2)),
          [`ms for all ${SESSIONS} sessions`]: await measure(db, all),
          'ms for a page of 20 sessions': await measure(db, all.slice(0, 20)),
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
  console.log(JSON.stringify(report, null, 2));
}

void main();
