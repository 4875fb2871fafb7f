import type { DiffHunkView } from '../../web/src/api/evolutionDocuments';
import { changeSummary, paramChanges, sideBySideRows } from '../../web/src/diff/diffModel';
import { tokenizeJsLine } from '../../web/src/diff/jsTokenizer';

const hunk: DiffHunkView = {
  old_start: 1, old_lines: 4, new_start: 1, new_lines: 4,
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
    const lines = rows.slice(1).map((r) => (r.kind === 'line' ? [r.left && `${r.left.line}${r.left.op[0]}${r.left.text}`, r.right && `${r.right.line}${r.right.op[0]}${r.right.text}`] : null));
    expect(lines).toEqual([['1ea', '1ea'], ['2rb', '2aB'], ['3rc', null], ['4ed', '3ed'], [null, '4ae']]);
  });

  it('summarises the change and the tunables it moved', () => {
    expect(changeSummary(1, 1, 1)).toBe('1 line added, 1 removed in 1 place');
    expect(changeSummary(0, 0, 0)).toBe('The two versions have identical code.');
    expect(paramChanges({ factor: 1, k: 2 }, { factor: 3, k: 2, z: 1 })).toEqual([{ name: 'factor', from: 1, to: 3 }, { name: 'z', from: null, to: 1 }]);
  });

  it('tokenizes a line of JavaScript for highlighting', () => {
    const tokens = tokenizeJsLine("  factor: { default: 3, min: 1 }, // why 'x'");
    expect(tokens.filter((t) => t.kind !== 'plain')).toEqual([
      { kind: 'property', text: 'factor' }, { kind: 'property', text: 'default' }, { kind: 'number', text: '3' },
      { kind: 'property', text: 'min' }, { kind: 'number', text: '1' }, { kind: 'comment', text: "// why 'x'" },
    ]);
    expect(tokenizeJsLine('return "a\\"b" + x1;').map((t) => t.kind)).toEqual(['keyword', 'plain', 'string', 'plain']);
    expect(tokenizeJsLine('var t = true; /* c */ null').filter((t) => t.kind !== 'plain').map((t) => t.kind)).toEqual(['keyword', 'literal', 'comment', 'literal']);
    expect(tokenizeJsLine('x ? a : b').every((t) => t.kind === 'plain')).toBe(true);
  });
});
