import { groupCommit } from '../../store/groupCommit';

/** store/groupCommit.ts: what is asked for while a write is in flight goes in the next write, in order. */
function recordingWrite(failOn?: string) {
  const writes: string[][] = [];
  let release: () => void = () => undefined;
  const write = async (items: string[]) => {
    writes.push(items);
    await new Promise<void>((resolve) => (release = resolve));
    if (failOn && items.includes(failOn)) throw new Error(`refused ${failOn}`);
  };
  /** Lets the write in flight end, and waits until the next one (if any) has started. */
  const finishWrite = async () => {
    release();
    await new Promise((r) => setImmediate(r));
  };
  return { writes, write, finishWrite };
}

test('a lone call writes at once; calls made meanwhile go together in the next write, in order', async () => {
  const { writes, write, finishWrite } = recordingWrite();
  const commit = groupCommit(write);
  const first = commit(['a']);
  expect(writes).toEqual([['a']]); // started without waiting for anything
  const rest = [commit(['b1', 'b2']), commit(['c'])];
  expect(writes).toEqual([['a']]);
  await finishWrite();
  await first;
  expect(writes).toEqual([['a'], ['b1', 'b2', 'c']]);
  await finishWrite();
  await Promise.all(rest);
  expect(writes).toHaveLength(2);
});

test('a failed group write is tried again caller by caller: only the caller whose item fails gets the error', async () => {
  const { writes, write, finishWrite } = recordingWrite('bad');
  const commit = groupCommit(write);
  const first = commit(['a']);
  const outcomes = Promise.allSettled([commit(['b']), commit(['bad']), commit(['c'])]);
  await finishWrite();
  await first;
  for (let i = 0; i < 4; i++) await finishWrite(); // the group, then each caller alone
  expect((await outcomes).map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(writes).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
});
