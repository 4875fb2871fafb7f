import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chatTurnWorkflowId } from '../domain/workflowContracts';
import { api } from '../harness/client';
import { startTestServers, stopTestServers, type TestServers } from '../harness/servers';
import type { TestStack } from '../harness/stack';
import { addCpu, cpuByProgram, cpuPerTurnByProgram } from './processCpu';
import { stats } from './stats';
import { countStoreCommands, type CommandCounts } from './storeCommands';
import { watch, waitFor } from './streamWatch';

/**
 * A test stack in a process of its own, driven by a bench over IPC: bursts of offline turns
 * sent at once by fresh sessions, each watched on /ws/execution as a console would. A process
 * per stack, because what a bench compares is set once per process: the code tree (bench/turnCost.ts
 * `--before`) or the environment (bench/traceExport.ts: OpenTelemetry's tracer is one per process).
 * The stacks take turns burst by burst on the same servers, so both see the same machine load,
 * and each burst's CPU is measured by program (processCpu.ts) over the stack process and the servers.
 *
 * A stack process is this file started with `<tree> <name>`; the one not running a burst idles
 * meanwhile (its background polling is counted in the servers' figures of both, alike).
 */

/** This checkout's root. */
export const THIS_TREE = path.resolve(__dirname, '..');

export interface StackSpec {
  label: string;
  /** The project root whose stack to run. */
  tree: string;
  /** Set in the stack process's environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Node options beside the stack process's own (bench/profileTurn.ts: `--cpu-prof`). */
  execArgv?: string[];
}

/** One burst, as the stack process saw it. */
export interface Burst {
  turnIds: string[];
  /** From the burst's start to each turn's graph_updated on its socket. */
  turnMs: number[];
  /** When each turn's graph_updated arrived, in ms since the epoch. */
  finishedAt: number[];
  /** From the start until every turn's workflow completed. */
  wallMs: number;
  commands: CommandCounts;
}

/** Orchestrator → stack process. */
type Request = { kind: 'prepare'; sessions: number } | { kind: 'run' };
/** Stack process → orchestrator. */
type Reply = { kind: 'ready' } | { kind: 'prepared' } | ({ kind: 'ran' } & Burst);

/** The stack side: one test stack of `tree`, running the bursts the orchestrator asks for. */
async function serveStack(tree: string, name: string) {
  // Trees from before the harness room (2026-12-07) keep the stack in test/support/.
  const stackModule = fs.existsSync(path.join(tree, 'harness/stack.ts')) ? 'harness/stack' : 'test/support/stack';
  const { startTestStack } = (await import(path.join(tree, stackModule))) as {
    startTestStack: (name: string, env: Record<string, string>) => Promise<TestStack>;
  };
  const stack = await startTestStack(name, { OFFLINE_TOKEN_DELAY_MS: '0' });
  const commands = countStoreCommands(stack.mongo.client);
  const send = (reply: Reply) => process.send!(reply);
  let prepared: { sessionId: string; execution: Awaited<ReturnType<typeof watch>> }[] = [];
  process.on('message', (request: Request) => {
    const handle = async () => {
      if (request.kind === 'prepare') {
        prepared = [];
        for (let i = 0; i < request.sessions; i++) {
          const sessionId = (await api(stack, 'POST', '/api/chat/sessions', { title: `${name} ${i}` })).body.id as string;
          prepared.push({ sessionId, execution: await watch(stack, 'execution', sessionId) });
        }
        send({ kind: 'prepared' });
        return;
      }
      commands.take();
      const started = performance.now();
      const sent = await Promise.all(
        prepared.map(({ sessionId }, i) =>
          api(stack, 'POST', `/api/chat/${sessionId}/message`, { content: `what is ${i} * ${i} + 1?` }),
        ),
      );
      const turnIds = sent.map((r) => r.body.turn_id as string);
      const finished = await Promise.all(turnIds.map((turnId, i) => waitFor(() => prepared[i].execution.finished.get(turnId))));
      // Until each workflow has completed: its last steps after graph_updated count too.
      await Promise.all(
        turnIds.map((turnId, i) => {
          const messageId = turnId.slice(prepared[i].sessionId.length + 1);
          return stack.temporal.workflow.getHandle(chatTurnWorkflowId(prepared[i].sessionId, messageId)).result();
        }),
      );
      const wallMs = performance.now() - started;
      for (const p of prepared) p.execution.socket.close();
      send({
        kind: 'ran',
        turnIds,
        turnMs: finished.map((t) => t - started),
        finishedAt: finished.map((t) => performance.timeOrigin + t),
        wallMs,
        commands: commands.take(),
      });
    };
    handle().catch((err) => {
      console.error(err);
      process.exit(1);
    });
  });
  send({ kind: 'ready' });
}

export interface StackProcess {
  label: string;
  child: ChildProcess;
  ask(request: Request): Promise<Reply>;
}

function withCommandMonitoring(mongoUrl: string): string {
  const url = new URL(mongoUrl);
  url.searchParams.set('monitorCommands', 'true');
  return url.toString();
}

export function startStackProcess(spec: StackSpec): Promise<StackProcess> {
  const child = fork(__filename, [spec.tree, spec.label], {
    execArgv: ['--no-node-snapshot', '--import', 'tsx', ...(spec.execArgv ?? [])],
    cwd: spec.tree,
    // Set where the stack's client is made, so every connection it opens reports its commands.
    env: { ...process.env, MONGODB_URL: withCommandMonitoring(process.env.MONGODB_URL!), ...spec.env },
  });
  const replies: ((reply: Reply) => void)[] = [];
  child.on('message', (reply: Reply) => replies.shift()?.(reply));
  const next = () => new Promise<Reply>((resolve) => replies.push(resolve));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${spec.label}'s stack process exited (${code})`))),
  );
  const ask = (request: Request) => {
    const reply = next();
    child.send(request);
    return Promise.race([reply, exited]);
  };
  return Promise.race([next(), exited]).then(() => ({ label: spec.label, child, ask }));
}

/** Servers of its own (whatever the environment points at), so their CPU is theirs to measure; the environment is restored after. */
export async function ownServers(): Promise<{ servers: TestServers; restore: () => void }> {
  const keys = ['MONGODB_URL', 'TEMPORAL_ADDRESS'] as const;
  const saved = keys.map((key) => [key, process.env[key]] as const);
  for (const key of keys) delete process.env[key];
  const restore = () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  try {
    return { servers: await startTestServers(), restore };
  } catch (err) {
    restore();
    throw err;
  }
}

/** The servers' processes by name, and the stack process as `api+worker` (its sandboxes count as `node`). */
function cpuRoots(servers: TestServers, stack: StackProcess): Map<number, string> {
  return new Map([[stack.child.pid!, 'api+worker'], ...servers.processes.map((p): [number, string] => [p.child.pid!, p.name])]);
}

/** What a stack ran over the measured bursts: CPU-ms by program summed over them, and each burst. */
export interface StackTotals {
  cpu: Map<string, number>;
  bursts: Burst[];
}

export interface AlternationOptions {
  rounds: number;
  sessions: number;
  /**
   * Awaited after each burst, before its CPU is read: what the burst set going (an export of its
   * spans) is counted in it. Applied to every stack alike, so none gets a longer window for free.
   */
  settle?: (stack: StackProcess, burst: Burst) => Promise<void>;
}

/** A warm-up burst of each stack, then `rounds` bursts each, alternating which stack goes first. */
async function alternateBursts(
  servers: TestServers,
  stacks: StackProcess[],
  options: AlternationOptions,
): Promise<Map<string, StackTotals>> {
  const totals = new Map<string, StackTotals>(stacks.map((s) => [s.label, { cpu: new Map(), bursts: [] }]));
  const burst = async (stack: StackProcess) => {
    await stack.ask({ kind: 'prepare', sessions: options.sessions });
    const roots = cpuRoots(servers, stack);
    const before = cpuByProgram(roots);
    const { kind: _kind, ...ran } = (await stack.ask({ kind: 'run' })) as Reply & { kind: 'ran' };
    await options.settle?.(stack, ran);
    return { before, after: cpuByProgram(roots), ran };
  };
  for (const stack of stacks) await burst(stack); // warm-up: bundles, sandboxes, caches
  for (let r = 0; r < options.rounds; r++) {
    // Alternate who goes first, so neither always follows the other's leftovers.
    for (const stack of r % 2 ? [...stacks].reverse() : stacks) {
      const { before, after, ran } = await burst(stack);
      const into = totals.get(stack.label)!;
      addCpu(into.cpu, before, after);
      into.bursts.push(ran);
    }
  }
  return totals;
}

/**
 * A stack process of each of `specs` on servers of their own, taking bursts in turn
 * (alternateBursts); every process and server is stopped after, whatever happened. What each
 * stack ran, by its label.
 */
export async function alternateOwnStacks(specs: StackSpec[], options: AlternationOptions): Promise<Map<string, StackTotals>> {
  const { servers, restore } = await ownServers();
  const stacks: StackProcess[] = [];
  try {
    for (const spec of specs) stacks.push(await startStackProcess(spec));
    return await alternateBursts(servers, stacks, options);
  } finally {
    for (const s of stacks) s.child.kill('SIGTERM');
    await stopTestServers(servers);
    restore();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Per turn over a stack's measured bursts: CPU in all and by program, turn times, and the bursts' wall time. */
export function burstFigures(totals: StackTotals) {
  const turns = totals.bursts.reduce((n, b) => n + b.turnMs.length, 0);
  const cpu = cpuPerTurnByProgram(new Map(), totals.cpu, turns);
  const turnTimes = stats(totals.bursts.flatMap((b) => b.turnMs));
  return {
    turns,
    cpu_ms_per_turn: round(Object.values(cpu).reduce((a, b) => a + b, 0)),
    cpu_ms_per_turn_by_program: cpu,
    turn_p50_ms: turnTimes.p50_ms,
    turn_p99_ms: turnTimes.p99_ms,
    burst_wall_p50_ms: stats(totals.bursts.map((b) => b.wallMs)).p50_ms,
  };
}

if (require.main === module) {
  const [tree, name] = process.argv.slice(2);
  // Exiting (not dying of the signal) lets the stack's worker and servers' clients close.
  process.once('SIGTERM', () => process.exit(0));
  serveStack(tree, name).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
