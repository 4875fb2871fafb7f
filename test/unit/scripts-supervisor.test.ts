import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SupervisorStatus } from '../../domain/supervisorStatus';
import { spawnWithLog, waitForLogLine } from '../../scripts/lib/processes';
import { createSupervisor, restartDelayMs, type ServiceSpec } from '../../scripts/lib/supervisor';
import { waitUntil } from '../../harness/client';

/** The supervisor with real (tiny) child processes: restarts with backoff, status file, stop. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-supervisor-'));
const statusFile = path.join(dir, 'supervisor.json');
const readStatus = () => SupervisorStatus.parse(JSON.parse(fs.readFileSync(statusFile, 'utf8')));

/** A child that says it is ready, then idles. */
function service(name: string): ServiceSpec {
  return {
    name,
    spawn: () =>
      spawnWithLog({
        name,
        command: process.execPath,
        args: ['-e', 'console.log("ready"); setInterval(() => {}, 1000)'],
        logFile: path.join(dir, `${name}.log`),
      }),
    ready: (p) => waitForLogLine(p, /ready/, { name, process: p, timeoutMs: 30_000 }),
  };
}

test('the backoff doubles from the base and is capped', () => {
  expect([1, 2, 3, 4].map((n) => restartDelayMs(n, 500))).toEqual([500, 1000, 2000, 4000]);
  expect(restartDelayMs(20, 500)).toBe(30_000);
});

test('a service that is killed is restarted, the restart is recorded, and stopAll stops the new run', async () => {
  const lines: string[] = [];
  const gaveUp: string[] = [];
  const supervisor = createSupervisor({
    statusFile,
    baseDelayMs: 50,
    log: (l) => lines.push(l),
    onGiveUp: (r) => gaveUp.push(r),
  });
  const first = await supervisor.start(service('alpha'));
  const bystander = await supervisor.start(service('beta'));
  expect(readStatus().services.alpha).toEqual({
    state: 'running',
    pid: first.child.pid,
    restarts: 0,
    last_restart_at: null,
    last_exit: null,
  });

  first.child.kill('SIGKILL');
  const status = await waitUntil(
    'alpha back',
    async () => {
      const s = readStatus().services.alpha;
      return s.state === 'running' && s.restarts === 1 ? s : null;
    },
    30_000,
  );
  expect(status).toMatchObject({ last_exit: 'signal SIGKILL', pid: supervisor.current('alpha')!.child.pid });
  expect(status.pid).not.toBe(first.child.pid);
  // The restart's time is kept for health's crash-loop window (domain/supervisorStatus.ts).
  expect(status.recent_restarts).toEqual([status.last_restart_at]);
  expect(supervisor.current('beta')).toBe(bystander);
  expect(readStatus().services.beta.restarts).toBe(0);
  expect(lines.join('\n')).toMatch(
    /alpha stopped unexpectedly \(signal SIGKILL\); restarting in 0\.1 s \(restart 1\)[\s\S]*alpha is back/,
  );

  const second = supervisor.current('alpha')!;
  await supervisor.stopAll(2000);
  expect([second.child.signalCode, bystander.child.signalCode]).toEqual(['SIGTERM', 'SIGTERM']);
  expect(Object.values(readStatus().services).map((s) => s.state)).toEqual(['stopped', 'stopped']);
  expect(gaveUp).toEqual([]);
});
