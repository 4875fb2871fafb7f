import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeatingWhile } from '../../activities/heartbeats';

test('work that is not streaming still heartbeats (a slow write after the answer), and the heartbeats stop when it settles', async () => {
  const env = new MockActivityEnvironment();
  let beats = 0;
  let firstBeat!: () => void;
  const beaten = new Promise<void>((resolve) => (firstBeat = resolve));
  env.on('heartbeat', () => {
    beats += 1;
    firstBeat();
  });
  // The work ends only once a heartbeat went out while it ran.
  expect(await env.run(() => heartbeatingWhile(20, () => beaten.then(() => 'done')))).toBe('done');
  const atEnd = beats;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(beats).toBe(atEnd);
});

test('the work gets the activity cancellation signal, and a failure stops the heartbeats too', async () => {
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => (beats += 1));
  const run = env.run(() =>
    heartbeatingWhile(
      20,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    ),
  );
  env.cancel();
  await expect(run).rejects.toThrow('stopped');
  const atEnd = beats;
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(beats).toBe(atEnd);
});

test('outside an activity the work runs without heartbeats and with a signal that never aborts', async () => {
  expect(await heartbeatingWhile(20, async (signal) => signal.aborted)).toBe(false);
});
