import type { DiffHunkView } from '../../web/src/api/evolutionDocuments';
import { diffText } from '../../evolution/lineDiff';
import { changedRegions, changeSummary, paramChanges, sideBySideRows } from '../../web/src/diff/diffModel';
import { tokenizeJsLine } from '../../web/src/diff/jsTokenizer';

const hunk: DiffHunkView = {
  old_start: 1,
  old_lines: 4,
  new_start: 1,
  new_lines: 4,
  lines: [
    { op: 'equal', text: 'a', old_line: 1, new_line: 1 },
    { op: 'remove', text: 'b', old_line: 2, new_line: null },
    { op: 'remove', text: 'c', old_line: 3, new_line: null },
    { op: 'add', text: 'B', old_line: null, new_line: 2 },
    { op: 'equal', text: 'd', old_line: 4, new_line: 3 },
    { op: 'add', text: 'e', old_line: null, new_line: 4 },
  ],
};

describe('diff model', () => {
  it('pairs removals with the additions that replace them, side by side', () => {
    const rows = sideBySideRows([hunk]);
    expect(rows[0]).toEqual({ kind: 'hunk', header: '@@ -1,4 +1,4 @@' });
    const lines = rows
      .slice(1)
      .map((r) =>
        r.kind === 'line'
          ? [r.left && `${r.left.line}${r.left.op[0]}${r.left.text}`, r.right && `${r.right.line}${r.right.op[0]}${r.right.text}`]
          : null,
      );
    expect(lines).toEqual([
      ['1ea', '1ea'],
      ['2rb', '2aB'],
      ['3rc', null],
      ['4ed', '3ed'],
      [null, '4ae'],
    ]);
  });

  it('lays out the whole file side by side, every line numbered, changes still marked', () => {
    const old = Array.from({ length: 300 }, (_, i) => `line ${i + 1};`);
    const next = old.map((l, i) => (i === 99 ? 'changed;' : l));
    const rows = sideBySideRows(diffText(old.join('\n'), next.join('\n'), undefined, 'all').hunks);
    const lines = rows.filter((r) => r.kind === 'line');
    expect(rows.filter((r) => r.kind === 'hunk')).toEqual([{ kind: 'hunk', header: '@@ -1,300 +1,300 @@' }]);
    expect(lines).toHaveLength(300);
    expect(lines.map((r) => r.left?.line)).toEqual(old.map((_, i) => i + 1));
    expect(lines.map((r) => r.right?.line)).toEqual(old.map((_, i) => i + 1));
    expect(lines.filter((r) => r.left?.op !== 'equal')).toEqual([
      { kind: 'line', left: { line: 100, text: 'line 100;', op: 'remove' }, right: { line: 100, text: 'changed;', op: 'add' } },
    ]);
  });

  it('counts the places changed the same whatever the context', () => {
    const old = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj';
    const next = 'A\nb\nc\nD\nE\nf\ng\nh\ni\nj\nk';
    const counts = ([0, 3, 'all'] as const).map((c) => changedRegions(diffText(old, next, undefined, c).hunks));
    expect(counts).toEqual([3, 3, 3]);
    expect(changedRegions(diffText(old, old, undefined, 'all').hunks)).toBe(0);
    expect(changedRegions([hunk])).toBe(2);
  });

  it('summarises the change and the tunables it moved', () => {
    expect(changeSummary(1, 1, 1)).toBe('1 line added, 1 removed in 1 place');
    expect(changeSummary(0, 0, 0)).toBe('The two versions have identical code.');
    expect(paramChanges({ factor: 1, k: 2 }, { factor: 3, k: 2, z: 1 })).toEqual([
      { name: 'factor', from: 1, to: 3 },
      { name: 'z', from: null, to: 1 },
    ]);
  });

  it('tokenizes a line of JavaScript for highlighting', () => {
    const tokens = tokenizeJsLine("  factor: { default: 3, min: 1 }, // why 'x'");
    expect(tokens.filter((t) => t.kind !== 'plain')).toEqual([
      { kind: 'property', text: 'factor' },
      { kind: 'property', text: 'default' },
      { kind: 'number', text: '3' },
      { kind: 'property', text: 'min' },
      { kind: 'number', text: '1' },
      { kind: 'comment', text: "// why 'x'" },
    ]);
    expect(tokenizeJsLine('return "a\\"b" + x1;').map((t) => t.kind)).toEqual(['keyword', 'plain', 'string', 'plain']);
    expect(
      tokenizeJsLine('var t = true; /* c */ null')
        .filter((t) => t.kind !== 'plain')
        .map((t) => t.kind),
    ).toEqual(['keyword', 'literal', 'comment', 'literal']);
    expect(tokenizeJsLine('x ? a : b').every((t) => t.kind === 'plain')).toBe(true);
  });
});
