import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SupervisorStatus } from '../../domain/supervisorStatus';
import {
  getFreePort,
  spawnWithLog,
  stopProcess,
  tailLog,
  waitForLogLine,
  type ManagedProcess,
} from '../../scripts/lib/processes';
import { connectMongo, type Mongo } from '../../store/mongo';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { asRead, newSession, send, shownMessages, waitForStreamedText } from '../e2e/consolePage';
import { ensureWebBuilt } from '../../harness/consoleStack';
import { waitUntil } from '../../harness/client';
import { uniqueDbName } from '../../harness/servers';
import { expectTurnIntact } from '../support/turnInvariants';

/**
 * `npm start`'s supervisor with real processes: scripts/devStack.ts runs the worker and the API
 * (on the Temporal and FerretDB servers of jest's global setup) while a browser shows a turn.
 * The worker, and then the API, is SIGKILLed mid-answer; the supervisor brings it back, the other
 * service is untouched, the turn completes once with nothing duplicated, and the browser shows
 * the whole answer without a reload. Ctrl-C then stops everything.
 */
jest.setTimeout(300_000);

const root = path.resolve(__dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evoscope-supervised-'));
const statusFile = path.join(dataDir, 'supervisor.json');
const dbName = uniqueDbName('supervised');
const token = `supervised-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
const STORY_NODES = ['user_input', 'model_selector', 'agent', 'plan', 'response', 'learning'];

let stack: ManagedProcess;
let baseUrl: string;
let browser: Browser;
let mongo: Mongo;

const readStatus = () => SupervisorStatus.parse(JSON.parse(fs.readFileSync(statusFile, 'utf8')));
const health = async () => {
  const res = await fetch(`${baseUrl}/healthz`).catch(() => null);
  return res ? { status: res.status, body: await res.json() } : null;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  ensureWebBuilt();
  const port = await getFreePort();
  baseUrl = `http://127.0.0.1:${port}`;
  stack = spawnWithLog({
    name: 'npm-start',
    command: process.execPath,
    args: ['--no-node-snapshot', '--import', 'tsx', 'scripts/devStack.ts'],
    cwd: root,
    logFile: path.join(dataDir, 'devStack.log'),
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      EVOSCOPE_TOKEN: token,
      EVOSCOPE_DATA_DIR: dataDir,
      MONGODB_DB: dbName,
      EVOSCOPE_TASK_QUEUE: `q-${dbName}`,
      OFFLINE_TOKEN_DELAY_MS: '25',
    },
  });
  [browser, mongo] = await Promise.all([
    launchChromium(),
    connectMongo(process.env.MONGODB_URL!, dbName),
    waitForLogLine(stack, /Evoscope is running/, { name: 'npm start', process: stack, timeoutMs: 240_000 }),
  ]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await mongo?.client.close();
  if (stack && alive(stack.child.pid!)) {
    console.error(`npm start was still running; its log:\n${tailLog(stack.logFile, 40)}`);
    await stopProcess(stack, 10_000);
  }
});

async function openConsole(): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${baseUrl}/?token=${token}`);
  // Every phase the badge shows, so a quick reconnect is not missed.
  await page.evaluate(`(() => {
    window.__phases = [];
    const record = () => {
      const badge = document.querySelector('[data-testid="connection-badge"]');
      if (!badge) return setTimeout(record, 50);
      window.__phases.push(badge.getAttribute('data-phase'));
      new MutationObserver(() => window.__phases.push(badge.getAttribute('data-phase'))).observe(badge, { attributes: true, attributeFilter: ['data-phase'] });
    };
    record();
  })()`);
  return { page, errors };
}

/** Starts a long answer in the browser and returns once part of it is on screen. */
async function startLongTurn(page: Page): Promise<string> {
  const sessionId = await newSession(page);
  await send(page, 'write a long story about a lighthouse');
  await waitForStreamedText(page, 40);
  return sessionId;
}

/** The turn completed once, and the browser shows exactly what the store holds. */
async function expectTurnCompletedAndShown(page: Page, sessionId: string) {
  await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 180_000 });
  const user = await mongo.db.collection('messages').findOne({ session_id: sessionId, role: 'user' });
  // The answer shows complete before the turn's last step (learning) has finished.
  await waitUntil(
    'the turn finished',
    async () => (await mongo.db.collection('turns').findOne({ _id: user!.turn_id, status: { $ne: 'running' } })) !== null,
    120_000,
  );
  const { answer } = await expectTurnIntact(mongo.db, sessionId, user!.turn_id, STORY_NODES);
  const shown = await shownMessages(page);
  expect(shown.map((m) => [m.id, m.status, asRead(m.content)])).toEqual([
    [user!.id, 'complete', asRead(user!.content)],
    [answer.id, 'complete', asRead(answer.content)],
  ]);
}

const browserNoise = /WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/;

test('the worker SIGKILLed mid-answer is restarted; the API and the browser stay connected and show the whole answer', async () => {
  const { page, errors } = await openConsole();
  const sessionId = await startLongTurn(page);
  const before = readStatus().services;
  expect(before.worker).toMatchObject({ state: 'running', restarts: 0 });

  process.kill(before.worker.pid!, 'SIGKILL');
  const worker = await waitUntil(
    'the worker restarted',
    async () => {
      const s = readStatus().services.worker;
      return s.state === 'running' && s.restarts === 1 ? s : null;
    },
    120_000,
  );
  expect(worker).toMatchObject({ last_exit: 'signal SIGKILL', last_restart_at: expect.any(String) });
  expect(worker.pid).not.toBe(before.worker.pid);
  expect(readStatus().services.api).toEqual(before.api);

  await expectTurnCompletedAndShown(page, sessionId);
  const healed = await waitUntil('/healthz 200', async () => {
    const h = await health();
    return h?.status === 200 ? h : null;
  });
  expect(healed.body.services.worker).toMatchObject({ state: 'running', restarts: 1, last_exit: 'signal SIGKILL' });
  expect(await page.evaluate('window.__phases')).not.toContain('reconnecting');
  expect(fs.readFileSync(stack.logFile, 'utf8')).toMatch(
    /worker stopped unexpectedly \(signal SIGKILL\); restarting in [\d.]+ s \(restart 1\)[\s\S]*worker is back/,
  );
  expect(errors.filter((e) => !browserNoise.test(e))).toEqual([]);
});

test('the API SIGKILLed mid-answer is restarted; the worker stays up and the browser reconnects and shows the whole answer', async () => {
  const { page, errors } = await openConsole();
  const sessionId = await startLongTurn(page);
  const before = readStatus().services;

  process.kill(before.api.pid!, 'SIGKILL');
  const api = await waitUntil(
    'the API restarted',
    async () => {
      const s = readStatus().services.api;
      return s.state === 'running' && s.restarts === 1 ? s : null;
    },
    120_000,
  );
  expect(api).toMatchObject({ last_exit: 'signal SIGKILL' });
  expect(readStatus().services.worker).toEqual(before.worker);

  await expectTurnCompletedAndShown(page, sessionId);
  await page.waitForSelector('[data-testid="connection-notice"]', { timeout: 60_000 });
  expect(await page.getByTestId('connection-notice').textContent()).toContain('reconnected after API restart (restart 1)');
  const phases = await page.evaluate<string[]>('window.__phases');
  expect(phases).toContain('reconnecting');
  expect(phases.at(-1)).toBe('live');
  await screenshot(page, 'supervised-api-restarted');
  const healed = await waitUntil('/healthz 200', async () => {
    const h = await health();
    return h?.status === 200 ? h : null;
  });
  expect(healed.body.services.api).toMatchObject({ state: 'running', restarts: 1 });
  expect(errors.filter((e) => !browserNoise.test(e))).toEqual([]);
});

test('Ctrl-C stops every service it started', async () => {
  const pids = Object.values(readStatus().services).map((s) => s.pid!);
  expect(pids.every(alive)).toBe(true);
  stack.child.kill('SIGINT');
  expect(await stack.exited).toEqual({ code: 130, signal: null });
  expect(pids.filter(alive)).toEqual([]);
  expect(Object.values(readStatus().services).map((s) => s.state)).toEqual(['stopped', 'stopped']);
});
