import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { emitChatEvent } from '../store/emit';
import { startTestServers, stopTestServers } from '../test/support/servers';
import { api, waitForTurn } from '../test/support/client';
import { startTestStack, TestStack } from '../test/support/stack';
import { measureConsoleFigures } from '../test/e2e/consoleBench';
import { evolutionSummary, runEvolutionBench } from './evolution';
import { runLocalModelBench } from './localModel';
import { stats } from './stats';
import { turnStepExecutions } from './turnSteps';
import { runLoadBench } from './load';
import { DB_BACKENDS, dbBackendFrom } from '../scripts/lib/embeddedDatabase';

/**
 * `npm run bench`: figures measured on real servers, written to bench/results.json and bench/RESULTS.md.
 * Not part of `npm test`: speed is measured here, never asserted in tests.
 */
const EVENTS = 1000;
const TURNS = 50;

/** From an activity's emit (store, then signal) to a graphql-ws subscriber receiving it. */
async function eventPushLatency(stack: TestStack) {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'bench' })).body;
  const client = createClient({
    url: `${stack.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { token: stack.token },
  });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let done: () => void;
  const allReceived = new Promise<void>((resolve) => (done = resolve));
  const stop = client.subscribe(
    { query: 'subscription($id: ID!) { chat_events(session_id: $id) { seq data } }', variables: { id: session.id } },
    {
      next: (value) => {
        const i = ((value.data as any).chat_events.data.context as { i: number }).i;
        latencies.push(performance.now() - sentAt.get(i)!);
        if (latencies.length === EVENTS) done();
      },
      error: (err) => {
        throw err;
      },
      complete: () => undefined,
    },
  );
  await new Promise((r) => setTimeout(r, 500)); // subscription established
  for (let i = 0; i < EVENTS; i++) {
    sentAt.set(i, performance.now());
    await emitChatEvent(stack.mongo.db, session.id, `bench:${i}`, { type: 'context_update', turn_id: 'bench', context: { i } });
    await new Promise((r) => setTimeout(r, 2));
  }
  await allReceived;
  stop();
  await client.dispose();
  return stats(latencies);
}

/** Whole chat turns with the offline model (no token delay): the runtime's own overhead. */
async function chatTurnOverhead(stack: TestStack) {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'bench turns' })).body;
  const durations: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const started = performance.now();
    const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: `what is ${i}*${i}+1` })).body;
    await waitForTurn(stack, sent.turn_id);
    durations.push(performance.now() - started);
  }
  return stats(durations);
}

async function main() {
  const servers = await startTestServers();
  const stack = await startTestStack('bench', { OFFLINE_TOKEN_DELAY_MS: '0' });
  try {
    const results = {
      measured_at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      storage: `FerretDB v1.24.2 (${dbBackendFrom(process.env)} backend)`,
      event_push_latency: await eventPushLatency(stack),
      chat_turn_offline: await chatTurnOverhead(stack),
      // The same turn with its short steps as activity tasks (the old path) and as local activities.
      chat_turn_step_executions: await turnStepExecutions(stack),
      // Chromium: open a 5,000-node session; frames per second while panning it under live events.
      console: await measureConsoleFigures(),
      // Efficacy and sandbox throughput; per-generation detail in bench/evolution-results.json.
      evolution: evolutionSummary(await runEvolutionBench()),
      // The embedded local model: load, tokens/s, turn time, rewrites; per-rewrite detail in bench/local-model-results.json.
      local_model: await runLocalModelBench().then(({ rewrites: { outcomes: _outcomes, ...counts }, ...figures }) => ({
        ...figures,
        rewrites: counts,
      })),
      // 100 sessions sending at once on each embedded backend, and the idle cost of 200 subscriptions (bench/load.ts).
      load: await runLoadBench({
        sessions: 100,
        backends: [...DB_BACKENDS],
        singleTurns: 10,
        idleSubscriptions: 200,
        idleSeconds: 10,
      }),
    };
    const file = path.resolve(__dirname, 'results.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
    console.log(`wrote ${file}`);
  } finally {
    await stack.stop();
    await stopTestServers(servers);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
