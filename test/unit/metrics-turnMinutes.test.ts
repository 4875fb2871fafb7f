import { createTurnMinutes, MAX_DURATIONS, MINUTE_MS, sumMinutes } from '../../metrics/turnMinutes';

/** A worker's last hour by minute (metrics/turnMinutes.ts): exact counts, durations bounded per minute. */
const now = Date.parse('2026-12-07T12:30:20Z');
const thisMinute = Math.floor(now / MINUTE_MS) * MINUTE_MS;

/** A fixed sequence standing in for Math.random, so a sample is the same every run. */
const seeded = () => {
  let x = 0.5;
  return () => (x = (x * 9301 + 0.49297) % 1);
};

test('a minute counts every turn and keeps at most MAX_DURATIONS durations, a sample across the whole minute', () => {
  const minutes = createTurnMinutes(seeded());
  const count = MAX_DURATIONS * 3;
  for (let i = 0; i < count; i++) minutes.record(i % 10 === 0, i, thisMinute + 1000);
  const [minute] = minutes.recent(now);
  expect(minute).toMatchObject({ at: thisMinute, turns: count, failed: count / 10 });
  expect(minute.durations).toHaveLength(MAX_DURATIONS);
  // Durations from the last two thirds of the minute replaced some of the first ones: the sample spans it.
  expect(minute.durations.filter((d) => d >= MAX_DURATIONS).length).toBeGreaterThan(MAX_DURATIONS / 2);
});

test('a minute counts the turns that started in it apart from those that finished in it', () => {
  const minutes = createTurnMinutes();
  minutes.recordStart(thisMinute - MINUTE_MS + 5);
  minutes.recordStart(thisMinute + 5);
  minutes.record(false, 70_000, thisMinute + 10);
  expect(minutes.recent(now)).toEqual([
    { at: thisMinute - MINUTE_MS, turns: 0, failed: 0, durations: [], started: 1 },
    { at: thisMinute, turns: 1, failed: 0, durations: [70_000], started: 1 },
  ]);
  expect(sumMinutes([minutes.recent(now), minutes.recent(now)], now).map((m) => m.started)).toEqual([2, 2]);
});

test('minutes older than the last hour are forgotten; reset forgets all', () => {
  const minutes = createTurnMinutes();
  minutes.record(false, 10, now - 3600_000);
  minutes.record(false, 20, now);
  expect(minutes.recent(now).map((m) => m.durations)).toEqual([[20]]);
  minutes.reset();
  expect(minutes.recent(now)).toEqual([]);
});

test('summing processes adds their counts, keeps every duration under the bound and samples above it', () => {
  const a = { at: thisMinute, turns: 2, failed: 1, durations: [5, 7] };
  const b = { at: thisMinute, turns: 1, failed: 0, durations: [6] };
  const older = { at: thisMinute - MINUTE_MS, turns: 1, failed: 0, durations: [9] };
  expect(sumMinutes([[a], [older, b]], now)).toEqual([older, { at: thisMinute, turns: 3, failed: 1, durations: [5, 7, 6] }]);

  const full = { at: thisMinute, turns: MAX_DURATIONS * 2, failed: 0, durations: Array(MAX_DURATIONS).fill(1) };
  const [sum] = sumMinutes([[full], [full]], now, seeded());
  expect(sum.turns).toBe(MAX_DURATIONS * 4);
  expect(sum.durations).toHaveLength(MAX_DURATIONS);
});
