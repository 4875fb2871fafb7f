import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { percentile } from '../api/services/systemMetrics';
import type { TurnDoc } from '../store/collections';
import { api, waitForTurn } from '../harness/client';
import { startTestStack, type TestStack } from '../harness/stack';

/**
 * How long a Prometheus scrape of /metrics takes with 10,000 stored turns (issue 19's closing
 * figure), against the same scrape on an empty store, and the console's last-hour query beside
 * it (`npm run bench -- --only metrics_scrape`). A stack of its own on the bench's servers: the
 * turns it stores stay out of the other sections' figures.
 */
const STORED_TURNS = 10_000;
const SCRAPES = 50;

async function timed(stack: TestStack, path: string): Promise<{ p50_ms: number; p99_ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const started = performance.now();
    const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${stack.token}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body}`);
    times.push(performance.now() - started);
    bytes = body.length;
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second share of the store's figures
  }
  times.sort((a, b) => a - b);
  return { p50_ms: +percentile(times, 50).toFixed(1), p99_ms: +percentile(times, 99).toFixed(1), bytes };
}

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
    await new Promise((r) => setTimeout(r, 2500)); // the snapshot publishes every two seconds
    const empty = await timed(stack, '/metrics');
    const turns = stack.mongo.db.collection<TurnDoc>('turns');
    const docs = storedTurns(STORED_TURNS);
    for (let i = 0; i < docs.length; i += 1000) await turns.insertMany(docs.slice(i, i + 1000));
    const stored = await turns.estimatedDocumentCount();
    const full = await timed(stack, '/metrics');
    const activity = await timed(stack, '/api/system/activity');
    return {
      stored_turns: stored,
      scrapes: SCRAPES,
      metrics_empty_store: empty,
      metrics_10k_turns: full,
      system_activity_10k_turns: activity,
    };
  } finally {
    await stack.stop();
  }
}
