import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dbBackendFrom } from '../scripts/lib/embeddedDatabase';
import type { CommandCounts } from './storeCommands';
import { alternateOwnStacks, burstFigures, THIS_TREE, type Burst, type StackTotals } from './stackProcess';

/**
 * Where an offline turn's cost sits: store commands per turn by step (bench/storeCommands.ts)
 * and CPU per turn by program (the stack's node process running API and worker, its sandboxes,
 * Temporal, FerretDB, PostgreSQL), over bursts of turns sent at once, each session watched on
 * /ws/execution as a console would. Each code tree (this one, and with `--before <dir>` an
 * older checkout of the project) runs its stack in a process of its own on the same servers
 * (bench/stackProcess.ts); the trees take turns burst by burst, so both see the same machine
 * load: compare the ratios.
 *
 *   node --no-node-snapshot --import tsx bench/turnCost.ts --before /tmp/evoscope-main [--rounds 6] [--sessions 10]
 */
export interface TurnCostOptions {
  /** Label → project root whose stack to measure. */
  trees: Record<string, string>;
  rounds: number;
  sessions: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Commands by step summed over the bursts. */
function commandsOf(bursts: Burst[]): CommandCounts {
  const totals: CommandCounts = {};
  for (const burst of bursts)
    for (const [step, byCommand] of Object.entries(burst.commands)) {
      const into = (totals[step] ??= {});
      for (const [command, n] of Object.entries(byCommand)) into[command] = (into[command] ?? 0) + n;
    }
  return totals;
}

/** Per turn: commands by step (each step's commands largest first), with the CPU and turn times of burstFigures. */
function figures(totals: StackTotals) {
  const measured = burstFigures(totals);
  const perTurn = (n: number) => round(n / measured.turns);
  const steps = Object.entries(commandsOf(totals.bursts))
    .map(([step, byCommand]) => {
      const commands = Object.entries(byCommand).sort((a, b) => b[1] - a[1]);
      const total = commands.reduce((a, [, n]) => a + n, 0);
      return [step, { total: perTurn(total), ...Object.fromEntries(commands.map(([c, n]) => [c, perTurn(n)])) }] as const;
    })
    .sort((a, b) => b[1].total - a[1].total);
  const { turns, ...timesAndCpu } = measured;
  return {
    turns,
    store_commands_per_turn: round(steps.reduce((a, [, s]) => a + s.total, 0)),
    store_commands_per_turn_by_step: Object.fromEntries(steps),
    ...timesAndCpu,
  };
}

export async function runTurnCostBench(options: TurnCostOptions) {
  const loadAverage = os.loadavg();
  const specs = Object.entries(options.trees).map(([label, tree]) => ({ label, tree }));
  const totals = await alternateOwnStacks(specs, options);
  return {
    measured_at: new Date().toISOString(),
    how:
      `Offline model, no token delay; bursts of ${options.sessions} sessions sending one message at once, each watched on /ws/execution, ` +
      `${options.rounds} bursts per tree after a warm-up, trees alternating burst by burst on the same servers. ` +
      'Commands: every command the stack process sent the store (command monitoring), by the activity that sent it; ' +
      'CPU: /proc deltas over each burst of the stack process (api+worker), its sandboxes (node), Temporal, FerretDB and PostgreSQL.',
    backend: dbBackendFrom(process.env),
    load_average_at_start: loadAverage.map(round),
    ...Object.fromEntries([...totals].map(([label, ran]) => [label, figures(ran)])),
  };
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
