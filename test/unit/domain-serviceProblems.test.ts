import { CRASH_LOOP_WINDOW_MS, serviceProblems, type SupervisedService } from '../../domain/supervisorStatus';
import { readServiceProblems } from '../../web/src/api/serviceProblems';

/** When /healthz (and the console's badge) call a supervised service out of order, and why. */
const now = Date.parse('2026-12-07T12:00:00.000Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const running: SupervisedService = { state: 'running', pid: 10, restarts: 0, last_restart_at: null, last_exit: null };

test('running services with no recent restarts are in order (older status files without restart times too)', () => {
  expect(
    serviceProblems({ api: running, worker: { ...running, restarts: 5, recent_restarts: [ago(CRASH_LOOP_WINDOW_MS + 1)] } }, now),
  ).toEqual([]);
  expect(serviceProblems({ worker: { ...running, restarts: 1, recent_restarts: [ago(1000)] } }, now)).toEqual([]);
});

test('a service waiting to be restarted is out of order, with its last exit and restarts', () => {
  const worker: SupervisedService = {
    state: 'restarting',
    pid: null,
    restarts: 2,
    last_restart_at: ago(5000),
    last_exit: 'exit code 1',
    recent_restarts: [ago(20_000), ago(5000)],
  };
  expect(serviceProblems({ api: running, worker }, now)).toEqual([
    { service: 'worker', why: 'restarting after exit code 1 (2 restarts in the last 10 min, 2 in all)' },
  ]);
  // Its new run launched but not yet ready: still restarting.
  expect(serviceProblems({ worker: { ...worker, state: 'starting' } }, now)[0].why).toMatch(/^restarting after exit code 1/);
});

test('a service up again after 3 restarts inside the window is crash-looping; once they age out it is in order', () => {
  const looping: SupervisedService = {
    ...running,
    restarts: 9,
    last_exit: 'signal SIGKILL',
    recent_restarts: [ago(CRASH_LOOP_WINDOW_MS + 5), ago(60_000), ago(30_000), ago(1000)],
  };
  expect(serviceProblems({ worker: looping }, now)).toEqual([
    { service: 'worker', why: 'crash-looping: 3 restarts in the last 10 min, 9 in all; last exit signal SIGKILL' },
  ]);
  expect(serviceProblems({ worker: looping }, now + CRASH_LOOP_WINDOW_MS)).toEqual([]);
});

test('a service starting for the first time or stopped is out of order', () => {
  expect(serviceProblems({ postgres: { ...running, state: 'starting', pid: null } }, now)).toEqual([
    { service: 'postgres', why: 'starting' },
  ]);
  expect(serviceProblems({ ferretdb: { ...running, state: 'stopped', pid: null } }, now)).toEqual([
    { service: 'ferretdb', why: 'stopped' },
  ]);
});

test("the console's badge text lists what /healthz/api says, and nothing when all is in order", () => {
  expect(
    readServiceProblems({
      service_problems: [
        { service: 'worker', why: 'crash-looping: 3 restarts' },
        { service: 'api', why: 'starting' },
      ],
    }),
  ).toBe('worker crash-looping: 3 restarts; api starting');
  expect(readServiceProblems({ service_problems: [] })).toBeNull();
  expect(readServiceProblems({ api: { started_at: 'x' } })).toBeNull();
  expect(readServiceProblems(null)).toBeNull();
});
