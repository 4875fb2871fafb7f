import { createStreamFanout, ReadEvents } from '../../api/events/streamFanout';
import type { StoredEvent } from '../../domain/events';

/** An in-memory event log that counts reads: what the fan-out is built to spare. */
function memoryLog() {
  const streams = new Map<string, StoredEvent[]>();
  let reads = 0;
  let turns = 0;
  const read: ReadEvents = async (stream, afterSeq, limit, upToSeq = Infinity) => {
    reads++;
    // Like a database read: it sees the log as it was when it ran, and answers a little later
    // (after a varying number of turns of the event loop, so reads finish out of order).
    const found = (streams.get(stream) ?? []).filter((e) => e.seq > afterSeq && e.seq <= upToSeq).slice(0, limit);
    for (let i = (turns++ * 7) % 4; i >= 0; i--) await new Promise((r) => setImmediate(r));
    return found;
  };
  return {
    read,
    reads: () => reads,
    append(stream: string, count = 1) {
      const events = streams.get(stream) ?? [];
      streams.set(stream, events);
      for (let i = 0; i < count; i++) {
        events.push({ v: 1, stream, seq: events.length + 1, key: `${stream}:${events.length + 1}`, data: null, created_at: '' });
      }
    },
  };
}

/** Collects what a subscription yields until it has `count` events (or the test ends it). */
function collect(iterator: AsyncGenerator<StoredEvent>, count: number) {
  const seqs: number[] = [];
  const done = (async () => {
    if (count === 0) return seqs;
    for await (const event of iterator) {
      seqs.push(event.seq);
      if (seqs.length === count) break;
    }
    return seqs;
  })();
  return { seqs, done };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('subscribers of one stream share one reader: a wake-up costs one read, not one per subscriber', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  log.append('s', 3);
  const subs = Array.from({ length: 50 }, () => collect(fanout.subscribe('s', 0), 13));
  await settle();
  const afterJoin = log.reads();
  log.append('s', 10);
  fanout.wake('s');
  const all = await Promise.all(subs.map((s) => s.done));
  for (const seqs of all) expect(seqs).toEqual(range(1, 13));
  expect(log.reads() - afterJoin).toBe(1);
  fanout.close();
});

test('a wake-up naming its head: nothing is read when the reader has it, else just up to it', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  log.append('s', 3);
  const sub = collect(fanout.subscribe('s', 0), 5);
  await settle();
  const joined = log.reads();
  fanout.wake('s', 3); // already read when joining
  await settle();
  expect(log.reads()).toBe(joined);
  log.append('s', 3);
  fanout.wake('s', 5); // seq 6 is stored too, but this wake-up does not know it yet
  expect(await sub.done).toEqual(range(1, 5));
  expect(log.reads()).toBe(joined + 1);
  const more = collect(fanout.subscribe('s', 5), 1);
  expect(await more.done).toEqual([6]);
  fanout.close();
});

test('an idle stream is not read at all (its position is known, for a safety probe), and a stream nobody listens to is forgotten', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  const controller = new AbortController();
  const sub = collect(fanout.subscribe('idle', 0, controller.signal), 1000);
  await settle();
  const joined = log.reads();
  await settle();
  await settle();
  expect(log.reads()).toBe(joined);
  expect(fanout.positions()).toEqual(new Map([['idle', 0]]));
  controller.abort();
  await sub.done;
  expect(fanout.positions()).toEqual(new Map());
  fanout.wake('idle');
  expect(log.reads()).toBe(joined);
});

test('resuming from after_seq yields the rest exactly once, however subscribers, appends and wake-ups interleave', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  let state = 7;
  const next = (n: number) => {
    // mulberry32: a small seeded generator, so a failure replays
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const TOTAL = 400;
  let appended = 0;
  const subs: { after: number; run: ReturnType<typeof collect> }[] = [];
  while (appended < TOTAL) {
    const step = next(4);
    if (step === 0) {
      const n = Math.min(TOTAL - appended, 1 + next(30));
      log.append('s', n);
      appended += n;
    } else if (step === 1) {
      fanout.wake('s');
    } else if (step === 2 && subs.length < 30) {
      const after = next(appended + 1);
      subs.push({ after, run: collect(fanout.subscribe('s', after), TOTAL - after) });
    }
    if (next(3) === 0) await new Promise((r) => setImmediate(r));
  }
  fanout.wake('s');
  expect(subs.length).toBeGreaterThanOrEqual(20);
  const results = await Promise.all(subs.map((s) => s.run.done));
  subs.forEach((s, i) => expect(results[i]).toEqual(range(s.after + 1, TOTAL)));
  fanout.close();
});

test('a subscriber that joins while the shared reader is ahead of what it read gets the events in between', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  log.append('s', 2);
  const early = collect(fanout.subscribe('s', 0), 6);
  await settle(); // live at 2
  const late = collect(fanout.subscribe('s', 0), 6); // its first read sees 1..2
  log.append('s', 2);
  fanout.wake('s'); // the shared reader reads 3..4 while the late one is still reading
  await settle();
  log.append('s', 2);
  fanout.wake('s');
  expect(await early.done).toEqual(range(1, 6));
  expect(await late.done).toEqual(range(1, 6));
  fanout.close();
});

test('a subscriber that stops reading is not fed without bound: it reads for itself later, still gap-free', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  const stalled = fanout.subscribe('s', 0);
  const first = await (async () => {
    log.append('s', 1);
    return stalled.next();
  })();
  expect(first.value?.seq).toBe(1);
  const busy = collect(fanout.subscribe('s', 1), 5000);
  await settle();
  for (let i = 0; i < 10; i++) {
    log.append('s', 500);
    fanout.wake('s');
    await settle();
  }
  expect(await busy.done).toEqual(range(2, 5001));
  const rest: number[] = [];
  for await (const event of stalled) {
    rest.push(event.seq);
    if (event.seq === 5001) break;
  }
  expect(rest).toEqual(range(2, 5001));
  fanout.close();
});

test('close() ends every subscription', async () => {
  const log = memoryLog();
  const fanout = createStreamFanout(log.read);
  const subs = [collect(fanout.subscribe('a', 0), 10), collect(fanout.subscribe('b', 0), 10)];
  await settle();
  fanout.close();
  expect(await Promise.all(subs.map((s) => s.done))).toEqual([[], []]);
});
