import fs from 'node:fs';

/**
 * CPU time by program from /proc, for the bench's per-turn figures: a process and all its
 * descendants, living or reaped (PostgreSQL's backends leave its process group, so not by group).
 */
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

interface ProcStat {
  ppid: number;
  ms: number;
  program: string;
}

function readProcs(): Map<number, ProcStat> {
  const procs = new Map<number, ProcStat>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const program = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, and cutime + cstime: children it has reaped (PostgreSQL's exited backends).
      const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
      procs.set(Number(pid), { ppid: Number(fields[1]), ms: (utime + stime + cutime + cstime) * TICK_MS, program });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

/**
 * The processes of the trees under `roots`, by name: a root under the name given for it, a
 * descendant under its program (`comm`: node, temporal, ferretdb, postgres). A descendant that
 * is itself a root goes under its own name.
 */
function namedTrees(roots: Map<number, string>, procs: Map<number, ProcStat>): Map<number, string> {
  const nameOf = new Map<number, string>();
  for (const [root, name] of roots) if (procs.has(root)) nameOf.set(root, name);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of procs)
      if (!nameOf.has(pid) && nameOf.has(p.ppid)) {
        nameOf.set(pid, p.program);
        grew = true;
      }
  }
  return nameOf;
}

/** The living processes of the trees under `roots`, by name (namedTrees). */
export const processesUnder = (roots: Map<number, string>): Map<number, string> => namedTrees(roots, readProcs());

/**
 * CPU-ms by name over the trees under `roots` (named as by namedTrees), living or reaped: a
 * reaped child's time counts under its parent's name.
 */
export function cpuByProgram(roots: Map<number, string>): Map<string, number> {
  const procs = readProcs();
  const byProgram = new Map<string, number>();
  for (const [pid, name] of namedTrees(roots, procs)) byProgram.set(name, (byProgram.get(name) ?? 0) + procs.get(pid)!.ms);
  return byProgram;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Adds `after` − `before` per program into `totals` (CPU summed over several measured spans). */
export function addCpu(totals: Map<string, number>, before: Map<string, number>, after: Map<string, number>): void {
  for (const [program, ms] of after) totals.set(program, (totals.get(program) ?? 0) + ms - (before.get(program) ?? 0));
}

/** `after` − `before` per program, per turn, largest first. */
export function cpuPerTurnByProgram(
  before: Map<string, number>,
  after: Map<string, number>,
  turns: number,
): Record<string, number> {
  return Object.fromEntries(
    [...after]
      .map(([program, ms]) => [program, round((ms - (before.get(program) ?? 0)) / turns)] as const)
      .filter(([, ms]) => ms > 0)
      .sort((a, b) => b[1] - a[1]),
  );
}

export const totalMs = (byProgram: Map<string, number>): number => [...byProgram.values()].reduce((a, b) => a + b, 0);
