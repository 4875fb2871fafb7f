import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Db } from 'mongodb';
import { observeTurn, observeTurnStarted } from '../metrics/workerMetrics';
import type { TurnDoc } from '../store/collections';
import { api, waitForTurn } from '../harness/client';
import { startTestStack, type TestStack } from '../harness/stack';
import { stats } from './stats';

/**
 * How long a Prometheus scrape of /metrics takes with 10,000 stored turns (issue 19's closing
 * figure), against the same scrape on an empty store, and the console's last hour (GET
 * /api/system/activity) beside it, with the read that endpoint used to make (the turns of the
 * last hour by range, which FerretDB v1 answers by decoding the whole collection) timed in the
 * same run, and so the live figures (GET /api/system/metrics) with the range read of the last
 * five minutes they used to make (`npm run bench -- --only metrics_scrape`). A stack of its own on the bench's servers:
 * the turns it stores stay out of the other sections' figures.
 */
const STORED_TURNS = 10_000;
const SCRAPES = 50;

const PUBLISHED_MS = 2500; // workers publish their figures every two seconds

/** SCRAPES runs of `read`, a little over a second apart (past the one-second share of the store's figures); it answers its size. */
async function timed(read: () => Promise<number>) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const started = performance.now();
    bytes = await read();
    times.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 1100));
  }
  return { ...stats(times), bytes };
}

/** A GET as a scraper or the console makes it: its body's length. */
const get = (stack: TestStack, path: string) => async () => {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${stack.token}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body}`);
  return body.length;
};

/** The range read the last hour and the live figures used to make: FerretDB v1 decodes every stored turn for it. */
const turnsSince = (db: Db, sinceMs: number) =>
  db
    .collection<TurnDoc>('turns')
    .find({ started_at: { $gte: new Date(sinceMs).toISOString() } })
    .sort({ started_at: -1 })
    .limit(5000)
    .toArray();

/** Finished turns spread over the last day (a third of them in the last hour), as the worker stores them. */
function storedTurns(count: number): TurnDoc[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const ended = now - (i % 3 === 0 ? (i % 3600) * 1000 : (i * 8_640) % 86_400_000);
    const duration = 200 + (i % 50) * 20;
    return {
      _id: randomUUID(),
      session_id: `bench-${i % 100}`,
      workflow_id: `bench-${i}`,
      kind: 'chat_turn',
      status: i % 20 === 0 ? 'failed' : 'completed',
      started_at: new Date(ended - duration).toISOString(),
      ended_at: new Date(ended).toISOString(),
      duration_ms: duration,
      model: null,
    };
  });
}

export async function measureMetricsScrape() {
  const stack = await startTestStack('metrics-scrape', { OFFLINE_TOKEN_DELAY_MS: '0' });
  try {
    // One real turn, so the worker's snapshot is there as in production.
    const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'bench' })).body;
    const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'what is 6*7' })).body;
    await waitForTurn(stack, sent.turn_id);
    await new Promise((r) => setTimeout(r, PUBLISHED_MS));
    const empty = await timed(get(stack, '/metrics'));
    const turns = stack.mongo.db.collection<TurnDoc>('turns');
    const docs = storedTurns(STORED_TURNS);
    for (let i = 0; i < docs.length; i += 1000) await turns.insertMany(docs.slice(i, i + 1000));
    // The worker that finished them would have counted the last hour's in its published minutes.
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    for (const t of docs.filter((d) => d.ended_at! >= hourAgo)) {
      observeTurnStarted(Date.parse(t.started_at));
      observeTurn(t.status as 'completed' | 'failed', t.duration_ms!, Date.parse(t.ended_at!));
    }
    await new Promise((r) => setTimeout(r, PUBLISHED_MS));
    const stored = await turns.estimatedDocumentCount();
    return {
      stored_turns: stored,
      scrapes: SCRAPES,
      metrics_empty_store: empty,
      metrics_10k_turns: await timed(get(stack, '/metrics')),
      system_activity_10k_turns: await timed(get(stack, '/api/system/activity')),
      // What GET /api/system/activity read before it read the workers' minutes.
      turns_of_last_hour_by_range_10k_turns: await timed(
        async () => JSON.stringify(await turnsSince(stack.mongo.db, Date.now() - 3600_000)).length,
      ),
      system_metrics_10k_turns: await timed(get(stack, '/api/system/metrics')),
      // What the live figures (computeRunMetrics) read before they read the workers' minutes.
      turns_of_last_5_minutes_by_range_10k_turns: await timed(
        async () => JSON.stringify(await turnsSince(stack.mongo.db, Date.now() - 5 * 60_000)).length,
      ),
    };
  } finally {
    await stack.stop();
  }
}
