import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from '../api/services/systemMetrics';
import { chatTurnWorkflowId } from '../domain/workflowContracts';
import { dbBackendFrom } from '../scripts/lib/embeddedDatabase';
import { api } from '../harness/client';
import { startTestServers, stopTestServers, type TestServers } from '../harness/servers';
import type { TestStack } from '../harness/stack';
import { watch, waitFor } from './streamWatch';
import { cpuByProgram, cpuPerTurnByProgram } from './processCpu';
import { countStoreCommands, type CommandCounts } from './storeCommands';

/**
 * Where an offline turn's cost sits: store commands per turn by step (bench/storeCommands.ts)
 * and CPU per turn by program (the stack's node process running API and worker, its sandboxes,
 * Temporal, FerretDB, PostgreSQL), over bursts of turns sent at once, each session watched on
 * /ws/execution as a console would. Each code tree (this one, and with `--before <dir>` an
 * older checkout of the project) runs its stack in a process of its own on the same servers;
 * the trees take turns burst by burst, so both see the same machine load: compare the ratios.
 *
 *   node --no-node-snapshot --import tsx bench/turnCost.ts --before /tmp/evoscope-main [--rounds 6] [--sessions 10]
 *
 * A tree's stack process is this file started with `--stack <dir>`; the one not running a burst
 * idles meanwhile (its background polling is counted in the servers' figures of both, alike).
 */
export const THIS_TREE = path.resolve(__dirname, '..');

export interface TurnCostOptions {
  /** Label → project root whose stack to measure. */
  trees: Record<string, string>;
  rounds: number;
  sessions: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Orchestrator → stack process. */
type Request = { kind: 'prepare'; sessions: number } | { kind: 'run' };
/** Stack process → orchestrator. */
type Reply =
  { kind: 'ready' } | { kind: 'prepared' } | { kind: 'ran'; turnMs: number[]; wallMs: number; commands: CommandCounts };

/** The stack side: one test stack of `tree`, running the bursts the orchestrator asks for. */
async function serveStack(tree: string) {
  // Trees from before the harness room (2026-12-07) keep the stack in test/support/.
  const stackModule = fs.existsSync(path.join(tree, 'harness/stack.ts')) ? 'harness/stack' : 'test/support/stack';
  const { startTestStack } = (await import(path.join(tree, stackModule))) as {
    startTestStack: (name: string, env: Record<string, string>) => Promise<TestStack>;
  };
  const stack = await startTestStack('turn_cost', { OFFLINE_TOKEN_DELAY_MS: '0' });
  const commands = countStoreCommands(stack.mongo.client);
  const send = (reply: Reply) => process.send!(reply);
  let prepared: { sessionId: string; execution: Awaited<ReturnType<typeof watch>> }[] = [];
  process.on('message', (request: Request) => {
    const handle = async () => {
      if (request.kind === 'prepare') {
        prepared = [];
        for (let i = 0; i < request.sessions; i++) {
          const sessionId = (await api(stack, 'POST', '/api/chat/sessions', { title: `cost ${i}` })).body.id as string;
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
      const finished = await Promise.all(
        sent.map((r, i) => waitFor(() => prepared[i].execution.finished.get(r.body.turn_id as string))),
      );
      // Until each workflow has completed: its last steps after graph_updated count too.
      await Promise.all(
        sent.map((r, i) => {
          const messageId = (r.body.turn_id as string).slice(prepared[i].sessionId.length + 1);
          return stack.temporal.workflow.getHandle(chatTurnWorkflowId(prepared[i].sessionId, messageId)).result();
        }),
      );
      const wallMs = performance.now() - started;
      for (const p of prepared) p.execution.socket.close();
      send({ kind: 'ran', turnMs: finished.map((t) => t - started), wallMs, commands: commands.take() });
    };
    handle().catch((err) => {
      console.error(err);
      process.exit(1);
    });
  });
  send({ kind: 'ready' });
}

interface StackProcess {
  label: string;
  child: ChildProcess;
  ask(request: Request): Promise<Reply>;
}

function withCommandMonitoring(mongoUrl: string): string {
  const url = new URL(mongoUrl);
  url.searchParams.set('monitorCommands', 'true');
  return url.toString();
}

function startStackProcess(label: string, tree: string): Promise<StackProcess> {
  const child = fork(__filename, ['--stack', tree], {
    execArgv: ['--no-node-snapshot', '--import', 'tsx'],
    cwd: tree,
    // Set where the stack's client is made, so every connection it opens reports its commands.
    env: { ...process.env, MONGODB_URL: withCommandMonitoring(process.env.MONGODB_URL!) },
  });
  const replies: ((reply: Reply) => void)[] = [];
  child.on('message', (reply: Reply) => replies.shift()?.(reply));
  const next = () => new Promise<Reply>((resolve) => replies.push(resolve));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${label}'s stack process exited (${code})`))),
  );
  const ask = (request: Request) => {
    const reply = next();
    child.send(request);
    return Promise.race([reply, exited]);
  };
  return Promise.race([next(), exited]).then(() => ({ label, child, ask }));
}

/** The servers' processes by name, and the stack process as `api+worker` (its sandboxes count as `node`). */
function cpuRoots(servers: TestServers, stack: StackProcess): Map<number, string> {
  return new Map([[stack.child.pid!, 'api+worker'], ...servers.processes.map((p): [number, string] => [p.child.pid!, p.name])]);
}

interface Totals {
  turns: number;
  cpu: Map<string, number>;
  commands: CommandCounts;
  turnMs: number[];
  wallMs: number[];
}

function add(totals: Totals, cpuBefore: Map<string, number>, cpuAfter: Map<string, number>, ran: Reply & { kind: 'ran' }) {
  for (const [program, ms] of cpuAfter)
    totals.cpu.set(program, (totals.cpu.get(program) ?? 0) + ms - (cpuBefore.get(program) ?? 0));
  for (const [step, byCommand] of Object.entries(ran.commands)) {
    const into = (totals.commands[step] ??= {});
    for (const [command, n] of Object.entries(byCommand)) into[command] = (into[command] ?? 0) + n;
  }
  totals.turns += ran.turnMs.length;
  totals.turnMs.push(...ran.turnMs);
  totals.wallMs.push(ran.wallMs);
}

/** Per turn: commands by step (each step's commands largest first), CPU by program, turn times. */
function figures(totals: Totals) {
  const perTurn = (n: number) => round(n / totals.turns);
  const steps = Object.entries(totals.commands)
    .map(([step, byCommand]) => {
      const commands = Object.entries(byCommand).sort((a, b) => b[1] - a[1]);
      const total = commands.reduce((a, [, n]) => a + n, 0);
      return [step, { total: perTurn(total), ...Object.fromEntries(commands.map(([c, n]) => [c, perTurn(n)])) }] as const;
    })
    .sort((a, b) => b[1].total - a[1].total);
  const cpu = cpuPerTurnByProgram(new Map(), totals.cpu, totals.turns);
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    turns: totals.turns,
    store_commands_per_turn: round(steps.reduce((a, [, s]) => a + s.total, 0)),
    store_commands_per_turn_by_step: Object.fromEntries(steps),
    cpu_ms_per_turn: round(Object.values(cpu).reduce((a, b) => a + b, 0)),
    cpu_ms_per_turn_by_program: cpu,
    turn_p50_ms: round(percentile(sorted(totals.turnMs), 50)),
    turn_p99_ms: round(percentile(sorted(totals.turnMs), 99)),
    burst_wall_p50_ms: round(percentile(sorted(totals.wallMs), 50)),
  };
}

/** Servers of its own (whatever the environment points at), so their CPU is theirs to measure; the environment is restored after. */
async function ownServers(): Promise<{ servers: TestServers; restore: () => void }> {
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

export async function runTurnCostBench(options: TurnCostOptions) {
  const { servers, restore } = await ownServers();
  const stacks: StackProcess[] = [];
  try {
    for (const [label, tree] of Object.entries(options.trees)) stacks.push(await startStackProcess(label, tree));
    const totals = new Map<string, Totals>(
      stacks.map((s) => [s.label, { turns: 0, cpu: new Map(), commands: {}, turnMs: [], wallMs: [] }]),
    );
    const burst = async (stack: StackProcess) => {
      await stack.ask({ kind: 'prepare', sessions: options.sessions });
      const roots = cpuRoots(servers, stack);
      const before = cpuByProgram(roots);
      const ran = (await stack.ask({ kind: 'run' })) as Reply & { kind: 'ran' };
      return { before, after: cpuByProgram(roots), ran };
    };
    for (const stack of stacks) await burst(stack); // warm-up: bundles, sandboxes, caches
    for (let r = 0; r < options.rounds; r++) {
      // Alternate who goes first, so neither always follows the other's leftovers.
      for (const stack of r % 2 ? [...stacks].reverse() : stacks) {
        const { before, after, ran } = await burst(stack);
        add(totals.get(stack.label)!, before, after, ran);
      }
    }
    return {
      measured_at: new Date().toISOString(),
      how:
        `Offline model, no token delay; bursts of ${options.sessions} sessions sending one message at once, each watched on /ws/execution, ` +
        `${options.rounds} bursts per tree after a warm-up, trees alternating burst by burst on the same servers. ` +
        'Commands: every command the stack process sent the store (command monitoring), by the activity that sent it; ' +
        'CPU: /proc deltas over each burst of the stack process (api+worker), its sandboxes (node), Temporal, FerretDB and PostgreSQL.',
      backend: dbBackendFrom(process.env),
      load_average_at_start: os.loadavg().map(round),
      ...Object.fromEntries(stacks.map((s) => [s.label, figures(totals.get(s.label)!)])),
    };
  } finally {
    for (const s of stacks) s.child.kill('SIGTERM');
    await stopTestServers(servers);
    restore();
  }
}

function argument(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
  const n = Number(text ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
  return n;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const stackTree = argument(argv, '--stack');
  if (stackTree) {
    // Exiting (not dying of the signal) lets the stack's worker and servers' clients close.
    process.once('SIGTERM', () => process.exit(0));
    serveStack(stackTree).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  } else {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
    const before = argument(argv, '--before');
    runTurnCostBench({
      trees: { ...(before ? { before: path.resolve(before) } : {}), after: THIS_TREE },
      rounds: positiveInteger(argument(argv, '--rounds'), 6, '--rounds'),
      sessions: positiveInteger(argument(argv, '--sessions'), 10, '--sessions'),
    })
      .then((cost) => {
        const file = path.resolve(__dirname, 'results.json');
        const results = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
        fs.writeFileSync(file, `${JSON.stringify({ ...results, turn_cost: cost }, null, 2)}\n`);
        console.log(JSON.stringify(cost, null, 2));
      })
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  }
}
