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

  it('round-trips on random edits (applying the hunks to A gives B)', () => {
    const random = seededRandom(42);
    const pick = () => 'abcdef'[Math.floor(random() * 6)];
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({ length: Math.floor(random() * 30) }, pick);
      const b = a.filter(() => random() > 0.2).flatMap((x) => (random() < 0.2 ? [x, pick()] : [x]));
      const d = diffText(a.join('\n'), b.join('\n'), undefined, Math.floor(random() * 4));
      expect(applyDiff(a.join('\n'), d)).toBe(b.join('\n'));
    }
  });
});
