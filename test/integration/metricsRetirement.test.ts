import { Db, MongoClient } from 'mongodb';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';
import { RETIRE_AFTER_MS, retireSilentSnapshots } from '../../metrics/snapshotRetirement';
import { sumMinutes } from '../../metrics/turnMinutes';
import {
  insertRetiredTotal,
  readMetricsSnapshots,
  readTurnMinutes,
  retiredId,
  saveMetricsSnapshot,
} from '../../store/metricsSnapshotStore';
import { prepareDatabase } from '../../store/prepareDatabase';
import { uniqueDbName } from '../../harness/servers';

/** Stopped workers' snapshots folded into one retired total (metrics/snapshotRetirement.ts), on the real database. */
let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URL!);
});
beforeEach(async () => {
  db = client.db(uniqueDbName('metrics_retirement'));
  await prepareDatabase(db);
});
afterAll(async () => {
  await client?.close();
});

/** A worker's snapshot as it publishes it: `turns` completed turns, counted by prom-client and in this minute. */
async function snapshotOf(turns: number) {
  const registry = new Registry();
  new Counter({ name: 'evoscope_turns_total', help: 'turns', labelNames: ['outcome'], registers: [registry] }).inc(
    { outcome: 'completed' },
    turns,
  );
  const at = Math.floor(Date.now() / 60_000) * 60_000;
  return {
    metrics: JSON.stringify(await registry.getMetricsAsJSON()),
    turn_minutes: [{ at, turns, failed: 0, durations: Array.from({ length: turns }, (_, i) => 100 + i) }],
  };
}

/** What /metrics would sum: the turns counted over every snapshot it reads. */
async function turnsCounted(): Promise<number> {
  const merged = AggregatorRegistry.aggregate((await readMetricsSnapshots(db)).map((s) => JSON.parse(s) as object[]));
  const turns = await merged.getSingleMetric('evoscope_turns_total')!.get();
  return turns.values.reduce((sum, v) => sum + v.value, 0);
}

/** What the last hour's activity would sum at `now`: the turns, and the durations kept of them. */
async function minutesCounted(now = Date.now()) {
  const minutes = sumMinutes(await readTurnMinutes(db), now);
  return { turns: minutes.reduce((n, m) => n + m.turns, 0), durations: minutes.reduce((n, m) => n + m.durations.length, 0) };
}

const stored = () =>
  db
    .collection('metrics_snapshots')
    .find({}, { projection: { _id: 1 } })
    .sort({ _id: 1 })
    .toArray()
    .then((docs) => docs.map((d) => d._id));

/** Publishes each worker's snapshot, then answers the time at which they have all been silent long enough. */
async function publish(workers: Record<string, number>): Promise<number> {
  for (const [id, turns] of Object.entries(workers)) await saveMetricsSnapshot(db, id, await snapshotOf(turns), true);
  return Date.now() + RETIRE_AFTER_MS + 1000;
}

test('a silent worker is folded into the retired total and removed; the counts stay', async () => {
  const later = await publish({ a: 3, b: 4 });
  await saveMetricsSnapshot(db, 'live', await snapshotOf(5), true);
  expect(await turnsCounted()).toBe(12);
  // Only the ones silent for RETIRE_AFTER_MS: now, none is.
  expect(await retireSilentSnapshots(db)).toBe(0);

  await db
    .collection('metrics_snapshots')
    .updateOne({ _id: 'live' as never }, { $set: { updated_at: new Date(later).toISOString() } });
  expect(await retireSilentSnapshots(db, later)).toBe(2);
  expect(await stored()).toEqual(['live', retiredId(1)]);
  expect(await turnsCounted()).toBe(12);
  // Their last hour is folded too, every turn with its duration.
  expect(await minutesCounted(later)).toEqual({ turns: 12, durations: 12 });

  // A later fold adds to the total: the one before is replaced, the sum never goes down.
  expect(await retireSilentSnapshots(db, later + RETIRE_AFTER_MS + 2000)).toBe(1);
  expect(await stored()).toEqual([retiredId(2)]);
  expect(await turnsCounted()).toBe(12);
  // An hour on, the plot has let them go; the counters keep them.
  const hourOn = later + 2 * RETIRE_AFTER_MS + 3600_000;
  expect(await retireSilentSnapshots(db, hourOn)).toBe(0);
  expect(await minutesCounted(hourOn)).toEqual({ turns: 0, durations: 0 });
});

test('workers folding at once fold each snapshot once', async () => {
  const later = await publish({ a: 1, b: 2, c: 3 });
  const folded = await Promise.all([1, 2, 3].map(() => retireSilentSnapshots(db, later)));
  expect(folded.reduce((a, b) => a + b, 0)).toBe(3);
  expect(await turnsCounted()).toBe(6);
  await retireSilentSnapshots(db, later);
  expect(await stored()).toEqual([retiredId(1)]);
});

test('a fold cut short before its deletes counts nothing twice, and the next one finishes it', async () => {
  await publish({ a: 2, b: 7 });
  await insertRetiredTotal(db, {
    _id: retiredId(1),
    ...(await snapshotOf(2)),
    updated_at: new Date().toISOString(),
    folded: ['a'],
  });
  expect(await turnsCounted()).toBe(9);
  expect((await minutesCounted()).turns).toBe(9);
  expect(await retireSilentSnapshots(db)).toBe(0);
  expect(await stored()).toEqual(['b', retiredId(1)]);
  expect(await turnsCounted()).toBe(9);
});

test('a worker folded away is told so on its next publication, instead of bringing its counts back', async () => {
  const later = await publish({ a: 4 });
  await retireSilentSnapshots(db, later);
  expect(await saveMetricsSnapshot(db, 'a', await snapshotOf(5), false)).toBe(false);
  expect(await stored()).toEqual([retiredId(1)]);
  expect(await turnsCounted()).toBe(4);
});
