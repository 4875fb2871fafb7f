import { applyDiff, diffText } from '../../evolution/lineDiff';
import { seededRandom } from '../../evolution/seededRandom';

describe('line diff', () => {
  it('gives unified text and hunks for a one-line change', () => {
    const d = diffText('a\nb\nc\nd\n', 'a\nb\nX\nd\n', { old: 'old', new: 'new' });
    expect(d.added).toBe(1);
    expect(d.removed).toBe(1);
    expect(d.unified).toBe('--- old\n+++ new\n@@ -1,4 +1,4 @@\n a\n b\n-c\n+X\n d\n');
    expect(d.hunks).toHaveLength(1);
    expect(d.hunks[0].lines.map((l) => l.op)).toEqual(['equal', 'equal', 'remove', 'add', 'equal']);
  });

  it('is empty for equal texts and handles empty sides', () => {
    expect(diffText('x\ny', 'x\ny').hunks).toEqual([]);
    expect(applyDiff('', diffText('', 'a\nb'))).toBe('a\nb');
    expect(applyDiff('a\nb', diffText('a\nb', ''))).toBe('');
  });

  it('shows the whole file as one hunk with context "all"', () => {
    const d = diffText('a\nb\nc\nd\ne\nf\ng\nh\ni\n', 'a\nb\nc\nd\nX\nf\ng\nh\ni\nj\n', { old: 'old', new: 'new' }, 'all');
    expect(d.hunks).toHaveLength(1);
    expect(d.unified).toBe('--- old\n+++ new\n@@ -1,9 +1,10 @@\n a\n b\n c\n d\n-e\n+X\n f\n g\n h\n i\n+j\n');
    expect(d.hunks[0].lines.map((l) => [l.old_line, l.new_line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, null],
      [null, 5],
      [6, 6],
      [7, 7],
      [8, 8],
      [9, 9],
      [null, 10],
    ]);
    expect([d.added, d.removed]).toEqual([2, 1]);
    // The default context leaves out the first line, three away from the nearest change.
    expect(
      diffText('a\nb\nc\nd\ne\nf\ng\nh\ni\n', 'a\nb\nc\nd\nX\nf\ng\nh\ni\nj\n').hunks.map((h) => [h.old_start, h.old_lines]),
    ).toEqual([[2, 8]]);
  });

  it('shows only the changed lines with context 0', () => {
    const d = diffText('a\nb\nc\nd\ne', 'a\nB\nc\nd\nE', { old: 'old', new: 'new' }, 0);
    expect(d.unified).toBe('--- old\n+++ new\n@@ -2,1 +2,1 @@\n-b\n+B\n@@ -5,1 +5,1 @@\n-e\n+E\n');
    expect(diffText('a\nc', 'a\nb\nc', undefined, 0).hunks).toEqual([
      { old_start: 1, old_lines: 0, new_start: 2, new_lines: 1, lines: [{ op: 'add', text: 'b', old_line: null, new_line: 2 }] },
    ]);
  });

  it('gives identical files as every line unchanged with context "all", and nothing for empty files', () => {
    const d = diffText('x\ny', 'x\ny', undefined, 'all');
    expect(d.hunks).toHaveLength(1);
    expect(d.hunks[0].lines.every((l) => l.op === 'equal')).toBe(true);
    expect([d.added, d.removed]).toEqual([0, 0]);
    expect(d.unified).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n y\n');
    expect(applyDiff('x\ny', d)).toBe('x\ny');
    expect(diffText('', '', undefined, 'all')).toEqual({ unified: '', hunks: [], added: 0, removed: 0 });
  });

  it('round-trips on random edits (applying the hunks to A gives B)', () => {
    const random = seededRandom(42);
    const pick = () => 'abcdef'[Math.floor(random() * 6)];
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({ length: Math.floor(random() * 30) }, pick);
      const b = a.filter(() => random() > 0.2).flatMap((x) => (random() < 0.2 ? [x, pick()] : [x]));
      const context = Math.floor(random() * 5);
      const d = diffText(a.join('\n'), b.join('\n'), undefined, context === 4 ? 'all' : context);
      expect(applyDiff(a.join('\n'), d)).toBe(b.join('\n'));
    }
  });
});
