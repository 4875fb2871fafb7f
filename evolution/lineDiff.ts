/**
 * A line diff (Myers' O(ND) algorithm) with unified output and structured hunks.
 * Written here rather than added as a dependency: component files are small.
 */
export interface DiffLine {
  op: 'equal' | 'add' | 'remove';
  text: string;
  /** 1-based line numbers in the old / new file (null where the line does not exist there). */
  old_line: number | null;
  new_line: number | null;
}

export interface DiffHunk {
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  lines: DiffLine[];
}

export interface TextDiff {
  unified: string;
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

const splitLines = (text: string) => (text === '' ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'));

/** The edit script from `a` to `b`, line by line. */
function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice());
        break outer;
      }
    }
  }
  // Walk the trace backwards to recover the path.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: 'equal', text: a[x], old_line: x + 1, new_line: y + 1 });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      out.push({ op: 'add', text: b[y], old_line: null, new_line: y + 1 });
    } else {
      x--;
      out.push({ op: 'remove', text: a[x], old_line: x + 1, new_line: null });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    out.push({ op: 'equal', text: a[x], old_line: x + 1, new_line: y + 1 });
  }
  return out.reverse();
}

/** Unchanged lines shown around each change; 'all' shows the whole file as one hunk. */
export type DiffContext = number | 'all';

/** Unified diff text plus hunks, with `context` unchanged lines around each change. */
export function diffText(oldText: string, newText: string, labels = { old: 'a', new: 'b' }, context: DiffContext = 3): TextDiff {
  const lines = diffLines(splitLines(oldText), splitLines(newText));
  const hunks = hunkRanges(lines, context).map(([start, end]): DiffHunk => {
    const slice = lines.slice(start, end + 1);
    const firstOld = slice.find((l) => l.old_line !== null)?.old_line ?? oldLineBefore(lines, start) + 1;
    const firstNew = slice.find((l) => l.new_line !== null)?.new_line ?? newLineBefore(lines, start) + 1;
    const oldCount = slice.filter((l) => l.op !== 'add').length;
    const newCount = slice.filter((l) => l.op !== 'remove').length;
    return {
      old_start: oldCount === 0 ? firstOld - 1 : firstOld,
      old_lines: oldCount,
      new_start: newCount === 0 ? firstNew - 1 : firstNew,
      new_lines: newCount,
      lines: slice,
    };
  });
  const body = hunks.map((h) =>
    [
      `@@ -${h.old_start},${h.old_lines} +${h.new_start},${h.new_lines} @@`,
      ...h.lines.map((l) => `${l.op === 'add' ? '+' : l.op === 'remove' ? '-' : ' '}${l.text}`),
    ].join('\n'),
  );
  const unified = hunks.length ? [`--- ${labels.old}`, `+++ ${labels.new}`, ...body].join('\n') + '\n' : '';
  return {
    unified,
    hunks,
    added: lines.filter((l) => l.op === 'add').length,
    removed: lines.filter((l) => l.op === 'remove').length,
  };
}

/** Inclusive [start, end] index ranges of `lines` to show: each change with its context, overlapping ranges merged. */
function hunkRanges(lines: DiffLine[], context: DiffContext): [number, number][] {
  if (context === 'all') return lines.length ? [[0, lines.length - 1]] : [];
  const changed = lines.map((l, i) => (l.op === 'equal' ? -1 : i)).filter((i) => i >= 0);
  const ranges: [number, number][] = [];
  for (const i of changed) {
    const start = Math.max(0, i - context);
    const end = Math.min(lines.length - 1, i + context);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1] + 1) last[1] = end;
    else ranges.push([start, end]);
  }
  return ranges;
}

function oldLineBefore(lines: DiffLine[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if (lines[i].old_line !== null) return lines[i].old_line!;
  return 0;
}
function newLineBefore(lines: DiffLine[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if (lines[i].new_line !== null) return lines[i].new_line!;
  return 0;
}

/** Applies the edit script's hunks to `oldText` (used to check a diff round-trips). */
export function applyDiff(oldText: string, diff: TextDiff): string {
  const old = splitLines(oldText);
  const out: string[] = [];
  let cursor = 0;
  for (const h of diff.hunks) {
    const start = h.old_lines === 0 ? h.old_start : h.old_start - 1;
    while (cursor < start) out.push(old[cursor++]);
    for (const l of h.lines) {
      if (l.op === 'remove') cursor++;
      else if (l.op === 'equal') {
        out.push(old[cursor++]);
      } else out.push(l.text);
    }
  }
  while (cursor < old.length) out.push(old[cursor++]);
  return out.join('\n');
}
