import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopTestServers } from '../harness/servers';
import { ownServers, startStackProcess, THIS_TREE } from './stackProcess';

/**
 * Where the stack process's CPU goes in an offline turn (issue 18): the stack of bench/turnCost.ts
 * (bench/stackProcess.ts) runs under V8's `--cpu-prof`, which profiles every thread (the main
 * one with API, activities and the bench's own clients, and Temporal's workflow threads; not the
 * sandbox processes it forks); the profiles are written when it exits. Only samples inside the
 * measured bursts count (V8's timestamps and process.hrtime share the monotonic clock), and they
 * are summed per turn: self and inclusive time by function and by package (node_modules package,
 * this project's folder, Temporal's workflow sandbox), idle samples left out. Under load a sample
 * also covers time the thread waited for a core: read the shares, not the absolute figures.
 *
 *   node --no-node-snapshot --import tsx bench/profileTurn.ts [--tree <dir>] [--rounds 3] [--sessions 8] [--top 15]
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** µs on the monotonic clock, as V8 stamps its samples. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** The package a frame belongs to: a node_modules package, a folder of the project profiled, or what V8 names it. */
function packageOf(frame: CallFrame, tree: string): string {
  const url = frame.url.replace(/^file:\/\//, '');
  // The workflow bundle (its modules included) and the scripts Temporal runs in its vm context.
  if (/workflow-bundle-[0-9a-f]+\.js$/.test(url) || url.startsWith('evalmachine')) return 'workflow sandbox';
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const [scope, name] = url.slice(inModules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const root = [tree, THIS_TREE].find((r) => url.startsWith(`${r}/`)); // the bench's own files are this tree's
  if (root) return `${url.slice(root.length + 1).split('/')[0]}/`;
  if (url.startsWith('node:')) return 'node: internals';
  if (url === '') return `(${frame.functionName || 'native'})`;
  return url;
}

const functionOf = (frame: CallFrame, tree: string) =>
  `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^file:\/\//, '').replace(`${tree}/`, '')}:${frame.lineNumber + 1}`;

type Totals = Map<string, { self: number; total: number }>;

/** Adds a profile's samples inside `windows` ([from, to] µs) to self and inclusive time by function and by package. */
function addProfile(profile: CpuProfile, windows: [number, number][], tree: string, byFunction: Totals, byPackage: Totals) {
  const parent = new Map<number, ProfileNode>();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const add = (totals: Totals, key: string, ms: number, self: boolean, seen: Set<string>) => {
    const t = totals.get(key) ?? { self: 0, total: 0 };
    if (self) t.self += ms;
    if (!seen.has(key)) t.total += ms; // a recursive frame counts once per sample
    seen.add(key);
    totals.set(key, t);
  };
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i];
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000; // a sample lasts until the next one
    if (nodes.get(id)!.callFrame.functionName === '(idle)' || !windows.some(([from, to]) => at >= from && at <= to)) return;
    const functions = new Set<string>();
    const packages = new Set<string>();
    for (let n: ProfileNode | undefined = nodes.get(id), leaf = true; n; n = parent.get(n.id), leaf = false) {
      if (n.callFrame.functionName === '(root)') break;
      add(byFunction, functionOf(n.callFrame, tree), ms, leaf, functions);
      add(byPackage, packageOf(n.callFrame, tree), ms, leaf, packages);
    }
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
const busyMs = (byPackage: Totals) => [...byPackage.values()].reduce((a, t) => a + t.self, 0);

/** The `top` largest by self and by inclusive time, in ms per turn. */
function ranked(totals: Totals, turns: number, top: number) {
  const perTurn = [...totals].map(([key, t]) => ({ key, self_ms: round(t.self / turns), total_ms: round(t.total / turns) }));
  const by = (field: 'self_ms' | 'total_ms') => [...perTurn].sort((a, b) => b[field] - a[field]).slice(0, top);
  return { by_self: by('self_ms'), by_inclusive: by('total_ms') };
}

export async function profileTurns(options: { tree: string; rounds: number; sessions: number; top: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-profile-'));
  const { servers, restore } = await ownServers();
  const windows: [number, number][] = [];
  let turns = 0;
  try {
    const stack = await startStackProcess({
      label: 'profiled',
      tree: options.tree,
      execArgv: ['--cpu-prof', '--cpu-prof-dir', dir],
    });
    const exited = new Promise((resolve) => stack.child.once('exit', resolve));
    for (let r = 0; r <= options.rounds; r++) {
      await stack.ask({ kind: 'prepare', sessions: options.sessions });
      const from = nowUs();
      await stack.ask({ kind: 'run' });
      if (r === 0) continue; // the first burst warms up
      windows.push([from, nowUs()]);
      turns += options.sessions;
    }
    stack.child.kill('SIGTERM');
    await exited;
  } finally {
    await stopTestServers(servers);
    restore();
  }
  fs.writeFileSync(path.join(dir, 'windows.json'), JSON.stringify(windows)); // for a closer look at the profiles
  const byFunction: Totals = new Map();
  const byPackage: Totals = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')))
    addProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), windows, options.tree, byFunction, byPackage);
  return {
    measured_at: new Date().toISOString(),
    tree: options.tree,
    load_average_at_end: os.loadavg().map(round),
    turns,
    profiles: dir,
    busy_ms_per_turn: round(busyMs(byPackage) / turns),
    by_package: ranked(byPackage, turns, options.top),
    by_function: ranked(byFunction, turns, options.top),
  };
}

function argument(argv: string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : fallback;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  profileTurns({
    tree: path.resolve(argument(argv, '--tree', THIS_TREE)),
    rounds: Number(argument(argv, '--rounds', '3')),
    sessions: Number(argument(argv, '--sessions', '8')),
    top: Number(argument(argv, '--top', '15')),
  })
    .then((profile) => console.log(JSON.stringify(profile, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
