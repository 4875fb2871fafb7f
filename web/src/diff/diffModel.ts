/**
 * Side-by-side rows from the API's diff hunks (removals paired with the
 * additions that replace them), and a summary of the change. Pure;
 * unit-tested in test/unit/web-diffModel.test.ts.
 */
import type { DiffHunkView, DiffLineView } from '../api/evolutionDocuments';

export interface SideCell {
  line: number;
  text: string;
  op: 'equal' | 'add' | 'remove';
}
export type SideRow = { kind: 'hunk'; header: string } | { kind: 'line'; left: SideCell | null; right: SideCell | null };

function hunkHeader(h: DiffHunkView): string {
  return `@@ -${h.old_start},${h.old_lines} +${h.new_start},${h.new_lines} @@`;
}

export function sideBySideRows(hunks: readonly DiffHunkView[]): SideRow[] {
  const rows: SideRow[] = [];
  for (const h of hunks) {
    rows.push({ kind: 'hunk', header: hunkHeader(h) });
    let removed: DiffLineView[] = [];
    let added: DiffLineView[] = [];
    const flush = () => {
      const n = Math.max(removed.length, added.length);
      for (let i = 0; i < n; i++) {
        const l = removed[i];
        const r = added[i];
        rows.push({
          kind: 'line',
          left: l ? { line: l.old_line ?? 0, text: l.text, op: 'remove' } : null,
          right: r ? { line: r.new_line ?? 0, text: r.text, op: 'add' } : null,
        });
      }
      removed = [];
      added = [];
    };
    for (const line of h.lines) {
      if (line.op === 'remove') removed.push(line);
      else if (line.op === 'add') added.push(line);
      else {
        flush();
        rows.push({
          kind: 'line',
          left: { line: line.old_line ?? 0, text: line.text, op: 'equal' },
          right: { line: line.new_line ?? 0, text: line.text, op: 'equal' },
        });
      }
    }
    flush();
  }
  return rows;
}

/** Tunable defaults that differ between the two versions: the change in words. */
export function paramChanges(
  a: Record<string, number>,
  b: Record<string, number>,
): { name: string; from: number | null; to: number | null }[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.filter((n) => a[n] !== b[n]).map((n) => ({ name: n, from: a[n] ?? null, to: b[n] ?? null }));
}

/**
 * Runs of consecutive changed lines. Counted from the lines rather than the hunks so the
 * summary reads the same with any context (the whole file is a single hunk).
 */
export function changedRegions(hunks: readonly DiffHunkView[]): number {
  let regions = 0;
  for (const h of hunks) {
    h.lines.forEach((l, i) => {
      if (l.op !== 'equal' && (i === 0 || h.lines[i - 1]!.op === 'equal')) regions++;
    });
  }
  return regions;
}

export function changeSummary(added: number, removed: number, places: number): string {
  if (added === 0 && removed === 0) return 'The two versions have identical code.';
  const parts = [];
  if (added) parts.push(`${added} line${added === 1 ? '' : 's'} added`);
  if (removed) parts.push(`${removed} removed`);
  return `${parts.join(', ')} in ${places} place${places === 1 ? '' : 's'}`;
}
