import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from '../api/services/systemMetrics';
import { cpuByProgram, cpuPerTurnByProgram, totalMs } from './processCpu';
import { watch, waitFor, type StreamWatch } from './streamWatch';
import { busyPercent, machineCpu, schedShares, schedTimes, temporalTurnTimes, watchPool } from './turnQueueing';
import { chatTurnWorkflowId } from '../domain/workflowContracts';
import { DB_BACKENDS, DbBackend, dbBackendFrom } from '../scripts/lib/embeddedDatabase';
import { lastSeq } from '../store/eventLog';
import { api } from '../harness/client';
import { startTestServers, stopTestServers, TestServers } from '../harness/servers';
import { startTestStack, TestStack } from '../harness/stack';

/**
 * The load figures of issue 12: N sessions, each subscribed to /ws/chat and /ws/execution, each
 * sending one message at the same moment; every socket must receive a gap-free, duplicate-free
 * run of events (any loss is reported as a failure). Then the idle cost of 200 open
 * subscriptions. Per embedded backend, each on servers of its own, side by side.
 *
 * Alone (merges `load` into bench/results.json; the machine is shared, so start small):
 *   node --no-node-snapshot --import tsx bench/load.ts --sessions 10 --backends sqlite,postgresql
 * `--compare-slots` also runs the bursts on a worker with the SDK's default slots, in turn with
 * ours (worker/workerSlots.ts); `--single-turns N` and `--idle-seconds S` shorten the other parts.
 */
export interface LoadOptions {
  sessions: number;
  backends: DbBackend[];
  /** Sequential turns that give the single-turn p50 the concurrent wall time is compared with. */
  singleTurns: number;
  idleSubscriptions: number;
  idleSeconds: number;
  /** Also run the bursts on a worker with the SDK's default slots (worker/workerSlots.ts), in turn with ours. */
  compareSlots: boolean;
}

const round = (n: number) => Math.round(n * 100) / 100;
/** Gap-free and duplicate-free from the socket's start to the stream's stored head. */
async function lossesOf(stack: TestStack, w: StreamWatch): Promise<string[]> {
  const head = await lastSeq(stack.mongo.db, w.stream);
  const expected = Array.from({ length: head - w.startSeq }, (_, i) => w.startSeq + 1 + i);
  if (w.seqs.length === expected.length && w.seqs.every((s, i) => s === expected[i])) return [];
  const got = new Set(w.seqs);
  const missing = expected.filter((s) => !got.has(s));
  const duplicates = w.seqs.length - got.size;
  return [
    `${w.stream}: received ${w.seqs.length} of ${expected.length} events after seq ${w.startSeq}; missing ${missing.slice(0, 10).join(', ') || 'none'}; duplicates ${duplicates}; in order ${w.seqs.every((s, i) => i === 0 || s > w.seqs[i - 1])}`,
  ];
}

/** Turns one after another, timed like the concurrent ones: until graph_updated reaches the execution socket. */
async function singleTurnMs(stack: TestStack, turns: number): Promise<number[]> {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'single turns' })).body;
  const execution = await watch(stack, 'execution', session.id);
  const out: number[] = [];
  for (let i = 0; i < turns; i++) {
    const started = performance.now();
    const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: `what is ${i} * ${i} + 1?` })).body;
    out.push((await waitFor(() => execution.finished.get(sent.turn_id))) - started);
  }
  execution.socket.close();
  return out;
}

/** This process (API, worker, clients) as `root`, its sandboxes, Temporal and the database, by program. */
const treeCpuByProgram = (root: number) => cpuByProgram(new Map([[root, 'root']]));

/** CPU of this process (the API and the worker run in it: harness/stack.ts) and of the database servers, over `seconds`. */
async function cpuOver(servers: TestServers, seconds: number) {
  const databaseRoots = servers.processes.filter((p) => p.name === 'ferretdb' || p.name === 'postgres').map((p) => p.child.pid!);
  const db0 = databaseRoots.reduce((a, g) => a + totalMs(treeCpuByProgram(g)), 0);
  const own0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const own = process.cpuUsage(own0);
  const db = databaseRoots.reduce((a, g) => a + totalMs(treeCpuByProgram(g)), 0) - db0;
  return {
    api_and_worker_cpu_percent: round(((own.user + own.system) / 1000 / (seconds * 1000)) * 100),
    database_cpu_percent: round((db / (seconds * 1000)) * 100),
  };
}

/** One burst: `sessions` fresh sessions, each watched on both sockets, send one message each at the same moment. */
async function burst(stack: TestStack, sessionCount: number) {
  const sessions: string[] = [];
  for (let i = 0; i < sessionCount; i++)
    sessions.push((await api(stack, 'POST', '/api/chat/sessions', { title: `load ${i}` })).body.id);
  const watches = await Promise.all(sessions.flatMap((s) => [watch(stack, 'chat', s), watch(stack, 'execution', s)]));
  const pool = watchPool(stack.mongo.client);
  const machineAtStart = machineCpu();
  const loadAtStart = os.loadavg()[0];
  const ownTree = new Map([[process.pid, 'root']]);
  const schedAtStart = schedTimes(ownTree, process.pid);
  const started = performance.now();
  const cpuAtStart = treeCpuByProgram(process.pid);
  const sent = await Promise.all(
    sessions.map((s, i) => api(stack, 'POST', `/api/chat/${s}/message`, { content: `what is ${i} + ${i}?` })),
  );
  const turnIds: string[] = sent.map((r) => r.body.turn_id);
  // The last event of a turn (graph_updated) reaching its execution socket is when the person sees it finished.
  const executionWatches = watches.filter((w) => w.stream.startsWith('execution'));
  const finishedAt = await Promise.all(turnIds.map((id, i) => waitFor(() => executionWatches[i].finished.get(id))));
  const wallMs = Math.max(...finishedAt) - started;
  const machineBusy = busyPercent(machineAtStart, machineCpu());
  const threads = schedShares(schedAtStart, schedTimes(ownTree, process.pid), wallMs);
  const driverPool = pool.take();
  // Everything the turns cost: this process (API, worker, clients), its sandboxes, Temporal and the database.
  const perTurnByProgram = cpuPerTurnByProgram(cpuAtStart, treeCpuByProgram(process.pid), sessionCount);
  const cpuPerTurnMs = Object.values(perTurnByProgram).reduce((a, b) => a + b, 0);
  const turnMs = finishedAt.map((t) => t - started).sort((a, b) => a - b);
  await new Promise((r) => setTimeout(r, 1000)); // events stored after the last graph_updated (none expected) still arrive
  const failures = (await Promise.all(watches.map((w) => lossesOf(stack, w)))).flat();
  const workflowIds = turnIds.map((id, i) => chatTurnWorkflowId(sessions[i], id.slice(sessions[i].length + 1)));
  const temporal = await temporalTurnTimes(stack.temporal, workflowIds);
  for (const w of watches) w.socket.close();
  return {
    sessions,
    figures: {
      sockets: watches.length,
      wall_ms: round(wallMs),
      turns_per_second: round(sessionCount / (wallMs / 1000)),
      turn_p50_ms: round(percentile(turnMs, 50)),
      turn_p99_ms: round(percentile(turnMs, 99)),
      cpu_ms_per_turn: round(cpuPerTurnMs),
      /** The same by program: root is this process (the API, the worker and the bench's clients), node its sandboxes. */
      cpu_ms_per_turn_by_program: perTurnByProgram,
      /** The most turns/s this machine's cores could give at that cost, were nothing serialised and no other program running. */
      cpu_bound_turns_per_second: round(os.availableParallelism() / (cpuPerTurnMs / 1000)),
      /** Where the wall went besides this run's CPU: the machine's cores in use (any program's), this run's share of them, the queues. */
      waiting: {
        load_average_at_burst: round(loadAtStart),
        machine_busy_percent: machineBusy,
        this_run_cores: round((cpuPerTurnMs * sessionCount) / wallMs),
        /** Running, and runnable but waiting for a core, by program; main = the API+worker's main thread. */
        threads,
        temporal,
        driver_pool: driverPool,
      },
      events_received: watches.reduce((a, w) => a + w.seqs.length, 0),
      failures,
    },
  };
}

async function measureBackend(backend: DbBackend, options: LoadOptions) {
  process.env.EVOSCOPE_DB_BACKEND = backend;
  delete process.env.MONGODB_URL;
  delete process.env.TEMPORAL_ADDRESS;
  const servers = await startTestServers();
  const stack = await startTestStack(`load_${backend}`, { OFFLINE_TOKEN_DELAY_MS: '0' });
  // The same turns on a worker with the SDK's default slots, on the same servers, bursts in turn (ABBA).
  const sdkSlots = options.compareSlots
    ? await startTestStack(`load_${backend}_sdk`, { OFFLINE_TOKEN_DELAY_MS: '0' }, { workerSlots: {} })
    : null;
  try {
    const single = (await singleTurnMs(stack, options.singleTurns)).sort((a, b) => a - b);
    const singleP50 = percentile(single, 50);

    const sdkBursts = [];
    if (sdkSlots) sdkBursts.push((await burst(sdkSlots, options.sessions)).figures);
    const { sessions, figures } = await burst(stack, options.sessions);
    const moreBursts = [];
    if (sdkSlots) {
      moreBursts.push((await burst(stack, options.sessions)).figures);
      sdkBursts.push((await burst(sdkSlots, options.sessions)).figures);
    }

    const idleBaseline = await cpuOver(servers, options.idleSeconds);
    const idle = await Promise.all(
      Array.from({ length: options.idleSubscriptions }, (_, i) =>
        watch(stack, i % 2 ? 'execution' : 'chat', sessions[i % sessions.length]),
      ),
    );
    const idleLoaded = await cpuOver(servers, options.idleSeconds);
    for (const w of idle) w.socket.close();

    return {
      backend,
      sessions: options.sessions,
      ...figures,
      single_turn: { n: single.length, p50_ms: round(singleP50), p99_ms: round(percentile(single, 99)) },
      wall_over_sequential: round(figures.wall_ms / (options.sessions * singleP50)),
      ...(sdkSlots ? { compared_slots: { evoscope: [figures, ...moreBursts], sdk_defaults: sdkBursts } } : {}),
      idle: {
        subscriptions: options.idleSubscriptions,
        seconds: options.idleSeconds,
        without_subscriptions: idleBaseline,
        with_subscriptions: idleLoaded,
      },
    };
  } finally {
    await sdkSlots?.stop();
    await stack.stop();
    await stopTestServers(servers);
  }
}

export async function runLoadBench(options: LoadOptions) {
  const saved = { ...process.env };
  const byBackend = [];
  try {
    for (const backend of options.backends) byBackend.push(await measureBackend(backend, options));
  } finally {
    for (const key of ['EVOSCOPE_DB_BACKEND', 'MONGODB_URL', 'TEMPORAL_ADDRESS']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return {
    measured_at: new Date().toISOString(),
    how:
      'Offline model, no token delay. API and worker in the bench process (test stack), each backend on fresh servers of its own; ' +
      "wall = first send until the last turn's graph_updated reached its execution socket; single-turn p50 from sequential turns just before, same servers; " +
      'idle = CPU of the bench process (API + worker) and of the database processes over the window, with no sockets and then with the idle subscriptions open.',
    default_backend: dbBackendFrom({}),
    load_average_at_start: os.loadavg().map(round),
    backends: byBackend,
  };
}

function parseArgs(argv: string[]): LoadOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sessions = Number(value('--sessions') ?? 100);
  if (!Number.isInteger(sessions) || sessions < 1) throw new Error('--sessions must be a positive integer');
  const backends = (value('--backends') ?? DB_BACKENDS.join(','))
    .split(',')
    .map((b) => dbBackendFrom({ EVOSCOPE_DB_BACKEND: b }));
  return {
    sessions,
    backends,
    singleTurns: Number(value('--single-turns') ?? 10),
    idleSubscriptions: 200,
    idleSeconds: Number(value('--idle-seconds') ?? 10),
    compareSlots: argv.includes('--compare-slots'),
  };
}

if (require.main === module) {
  // Exiting (not dying of the signal) lets scripts/lib/processes.ts stop the servers it started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  runLoadBench(parseArgs(process.argv.slice(2)))
    .then((load) => {
      const file = path.resolve(__dirname, 'results.json');
      const results = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
      fs.writeFileSync(file, `${JSON.stringify({ ...results, load }, null, 2)}\n`);
      console.log(JSON.stringify(load, null, 2));
      const bursts = load.backends.flatMap((b) => [b, ...Object.values(b.compared_slots ?? {}).flat()]);
      const failed = bursts.some((b) => b.failures.length > 0);
      process.exit(failed ? 1 : 0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
