import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { emitChatEvent } from '../store/emit';
import { startTestServers, stopTestServers, type TestServers } from '../harness/servers';
import { api, waitForTurn } from '../harness/client';
import { startTestStack, TestStack } from '../harness/stack';
import { measureConsoleFigures } from './consoleFigures';
import { evolutionSummary, runEvolutionBench } from './evolution';
import { runLocalModelBench } from './localModel';
import { stats } from './stats';
import { turnStepExecutions } from './turnSteps';
import { runLoadBench } from './load';
import { runTurnCostBench } from './turnCost';
import { THIS_TREE } from './stackProcess';
import { runTraceExportBench } from './traceExport';
import { measureMetricsScrape } from './metricsScrape';
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

/**
 * The Temporal and database servers the sections share, and the test stack the first three share
 * on them: each started when a section first asks for it (the console's stack needs the servers only).
 */
interface Shared {
  servers(): Promise<TestServers>;
  stack(): Promise<TestStack>;
}

function sharedServers(): Shared & { stop(): Promise<void> } {
  let servers: Promise<TestServers> | null = null;
  let stack: Promise<TestStack> | null = null;
  const shared: Shared = {
    servers: () => (servers ??= startTestServers()),
    stack: () => (stack ??= shared.servers().then(() => startTestStack('bench', { OFFLINE_TOKEN_DELAY_MS: '0' }))),
  };
  return {
    ...shared,
    async stop() {
      await (await stack)?.stop();
      if (servers) await stopTestServers(await servers);
    },
  };
}

/** Every figure of the bench, in the order it runs. */
const SECTIONS = {
  event_push_latency: async (shared: Shared) => eventPushLatency(await shared.stack()),
  chat_turn_offline: async (shared: Shared) => chatTurnOverhead(await shared.stack()),
  // The same turn with its short steps as activity tasks (the old path) and as local activities.
  chat_turn_step_executions: async (shared: Shared) => turnStepExecutions(await shared.stack()),
  // Store commands per turn by step, CPU per turn by program (bench/turnCost.ts; its `--before <dir>` compares two trees).
  turn_cost: () => runTurnCostBench({ trees: { this_tree: THIS_TREE }, rounds: 6, sessions: 10 }),
  // Turn time and CPU per turn with trace export off and on (to a local OTLP receiver), spans per turn, export lag (bench/traceExport.ts).
  trace_export: () => runTraceExportBench({ rounds: 6, sessions: 10 }),
  // A /metrics scrape and the Trends tab's last hour with 10,000 stored turns (bench/metricsScrape.ts).
  metrics_scrape: async (shared: Shared) => {
    await shared.servers();
    return measureMetricsScrape();
  },
  // Chromium: open a 5,000-node session; frames per second while panning it under live events.
  console: async (shared: Shared) => {
    await shared.servers();
    return measureConsoleFigures();
  },
  // Efficacy and sandbox throughput; per-generation detail in bench/evolution-results.json.
  evolution: async () => evolutionSummary(await runEvolutionBench()),
  // The embedded local model: load, tokens/s, turn time, rewrites; per-rewrite detail in bench/local-model-results.json.
  local_model: () =>
    runLocalModelBench().then(({ rewrites: { outcomes: _outcomes, ...counts }, ...figures }) => ({
      ...figures,
      rewrites: counts,
    })),
  // 100 sessions sending at once on each embedded backend, and the idle cost of 200 subscriptions (bench/load.ts).
  load: () =>
    runLoadBench({
      sessions: 100,
      backends: [...DB_BACKENDS],
      singleTurns: 10,
      idleSubscriptions: 200,
      idleSeconds: 10,
      compareSlots: false,
    }),
} satisfies Record<string, (shared: Shared) => Promise<unknown>>;
type Section = keyof typeof SECTIONS;

/** `--only a,b`: just those sections (the others keep their last figures in results.json); all by default. */
function sectionsToRun(argv: string[]): Section[] {
  const i = argv.indexOf('--only');
  if (i < 0) return Object.keys(SECTIONS) as Section[];
  const wanted = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((name) => !(name in SECTIONS));
  if (wanted.length === 0 || unknown.length > 0)
    throw new Error(`--only takes sections among ${Object.keys(SECTIONS).join(', ')}; not ${unknown.join(', ') || 'nothing'}`);
  return wanted as Section[];
}

async function main() {
  const run = sectionsToRun(process.argv.slice(2));
  const file = path.resolve(__dirname, 'results.json');
  const previous = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<string, unknown>;
  const results: Record<string, unknown> = {
    ...previous,
    machine: { cpus: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    storage: `FerretDB v1.24.2 (${dbBackendFrom(process.env)} backend)`,
  };
  const measuredAt = { ...(previous.sections_measured_at as Record<string, string> | undefined) };
  const runStartedAt = new Date().toISOString();
  const shared = sharedServers();
  try {
    for (const section of run) {
      const started = new Date().toISOString();
      results[section] = await SECTIONS[section](shared);
      measuredAt[section] = started;
      // Written after each section: a long run that fails later keeps what it measured.
      writeFileSync(
        file,
        `${JSON.stringify({ ...results, measured_at: runStartedAt, sections_measured_at: measuredAt }, null, 2)}\n`,
      );
      console.log(`bench: ${section} done`);
    }
    console.log(readFileSync(file, 'utf8'));
    console.log(`wrote ${file}`);
  } finally {
    await shared.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
