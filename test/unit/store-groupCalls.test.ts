import { groupCalls } from '../../store/groupCalls';

/** store/groupCalls.ts: calls made together, or while a round trip is in flight, share the next one, in order. */
function recordingRun(failOn?: string) {
  const runs: string[][] = [];
  let release: () => void = () => undefined;
  const run = async (inputs: string[]) => {
    runs.push(inputs);
    await new Promise<void>((resolve) => (release = resolve));
    if (failOn && inputs.includes(failOn)) throw new Error(`refused ${failOn}`);
    return inputs.map((input) => input.toUpperCase());
  };
  /** Lets the round trip in flight end, and waits until the next one (if any) has started. */
  const finishRun = async () => {
    release();
    await new Promise((r) => setImmediate(r));
  };
  return { runs, run, finishRun };
}

const started = () => new Promise((r) => setImmediate(r));

test('calls made together share a round trip at once; calls made while it is in flight share the next, in order', async () => {
  const { runs, run, finishRun } = recordingRun();
  const call = groupCalls(run);
  const first = Promise.all([call('a1'), call('a2')]);
  await started();
  expect(runs).toEqual([['a1', 'a2']]); // started without a timer
  const rest = Promise.all([call('b1'), call('b2'), call('c')]);
  await started();
  expect(runs).toEqual([['a1', 'a2']]);
  await finishRun();
  expect(await first).toEqual(['A1', 'A2']);
  expect(runs).toEqual([
    ['a1', 'a2'],
    ['b1', 'b2', 'c'],
  ]);
  await finishRun();
  expect(await rest).toEqual(['B1', 'B2', 'C']);
  expect(runs).toHaveLength(2);
});

test('a failed round trip is tried again caller by caller: only the caller whose input fails gets the error', async () => {
  const { runs, run, finishRun } = recordingRun('bad');
  const call = groupCalls(run);
  const outcomes = Promise.allSettled([call('b'), call('bad'), call('c')]);
  await started();
  for (let i = 0; i < 4; i++) await finishRun(); // the group, then each caller alone
  expect((await outcomes).map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual(['B', 'rejected', 'C']);
  expect(runs).toEqual([['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
});
