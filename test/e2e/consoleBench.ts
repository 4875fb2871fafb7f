/**
 * Browser figures for `npm run bench`: how long a 5,000-node session takes to
 * open in the console, and the frame rate while panning it as 100 execution
 * events per second arrive. Measured in Debian's Chromium (headless, software
 * rendering) against the real API; never asserted in tests.
 *
 *   node --no-node-snapshot --import tsx test/e2e/consoleBench.ts
 * or from bench/run.ts: `await measureConsoleFigures()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { connectMongo } from '../../store/mongo';
import { startTestServers, stopTestServers } from '../support/servers';
import { ARTIFACTS_DIR, launchChromium, screenshot } from './browser';
import { startConsoleStack, type ConsoleStack } from './consoleStack';
import { emitLiveTurn, seedFinishedTurns } from './graphSeed';

export interface ConsoleFigures {
  nodes: number;
  /** Click on the session → graph drawn with all nodes counted (median of runs). */
  open_ms: number;
  open_runs_ms: number[];
  /** Frames per second while dragging the canvas for `pan_seconds`, with events arriving. */
  pan_fps: number;
  pan_seconds: number;
  events_per_second_sent: number;
  events_applied: number;
  /** DOM nodes React Flow rendered at the end (only visible elements are rendered). */
  rendered_flow_nodes: number;
  viewport: string;
}

const OPEN_RUNS = 3;

async function openSession(page: Page, sessionId: string, expectNodes: number): Promise<number> {
  await page.evaluate(() => localStorage.removeItem('evoscope.tabs.v1'));
  await page.reload();
  await page.waitForSelector('[data-testid="connection-badge"][data-phase="live"]');
  const start = await page.evaluate(() => performance.now());
  await page.locator(`[data-session-id="${sessionId}"] .session-open`).click();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="graph-counts"]')?.textContent?.startsWith(`${n} nodes`) && document.querySelectorAll('.react-flow__node').length > 0,
    expectNodes,
    { timeout: 60_000, polling: 'raf' },
  );
  // Until the frame that shows it has been painted.
  return page.evaluate((t0) => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)))), start);
}

export async function measureConsoleFigures(existing?: ConsoleStack, turns = 500, eventsPerSecond = 100, panSeconds = 5): Promise<ConsoleFigures> {
  const stack = existing ?? (await startConsoleStack('bench-console', {}, { waitForWorker: false }));
  const mongo = await connectMongo(process.env.MONGODB_URL!, stack.dbName);
  const browser = await launchChromium();
  const abort = new AbortController();
  let live: Promise<void> = Promise.resolve();
  try {
    const { create_session } = await stack.graphql<{ create_session: { id: string } }>('mutation { create_session(title: "5,000 nodes") { id } }');
    const sessionId = create_session.id;
    const seeded = await seedFinishedTurns(mongo.db, sessionId, turns);

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(stack.consoleUrl);
    const runs: number[] = [];
    for (let i = 0; i < OPEN_RUNS; i++) runs.push(await openSession(page, sessionId, seeded.nodes));
    const open_ms = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    await screenshot(page, 'bench-5000-nodes');

    // Live load: new turns keep arriving at the given rate while we pan.
    let sent = 0;
    live = (async () => {
      for (let t = turns; !abort.signal.aborted; t++) sent += await emitLiveTurn(mongo.db, sessionId, t, eventsPerSecond, abort.signal);
    })();
    const canvas = await page.locator('.react-flow__pane').boundingBox();
    if (!canvas) throw new Error('no graph canvas');
    // A string, not a function: tsx's name-keeping helpers do not exist in the page.
    await page.evaluate(`(() => {
      window.__frames = 0;
      window.__counting = true;
      const tick = () => { if (!window.__counting) return; window.__frames++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const cx = canvas.x + canvas.width / 2;
    const cy = canvas.y + canvas.height / 2;
    const t0 = Date.now();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    let step = 0;
    while (Date.now() - t0 < panSeconds * 1000) {
      step++;
      const phase = (step % 120) / 120;
      await page.mouse.move(cx + Math.sin(phase * Math.PI * 2) * canvas.width * 0.3, cy + Math.cos(phase * Math.PI * 2) * canvas.height * 0.3 - canvas.height * 0.3, { steps: 1 });
    }
    await page.mouse.up();
    const elapsed = (Date.now() - t0) / 1000;
    const frames = await page.evaluate<number>('(window.__counting = false, window.__frames)');
    abort.abort();
    await live;
    const counts = await page.locator('[data-testid="graph-counts"]').textContent();
    const rendered = await page.locator('.react-flow__node').count();
    await screenshot(page, 'bench-5000-nodes-live');
    const figures: ConsoleFigures = {
      nodes: seeded.nodes,
      open_ms: Math.round(open_ms),
      open_runs_ms: runs.map(Math.round),
      pan_fps: Math.round((frames / elapsed) * 10) / 10,
      pan_seconds: Math.round(elapsed * 10) / 10,
      events_per_second_sent: Math.round(sent / elapsed),
      events_applied: Number((counts ?? '0').split(' ')[0]) - seeded.nodes,
      rendered_flow_nodes: rendered,
      viewport: '1366x768',
    };
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS_DIR, 'console-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    return figures;
  } finally {
    abort.abort();
    await live.catch(() => undefined);
    await browser.close();
    await mongo.client.close();
    if (!existing) await stack.stop();
  }
}

if (require.main === module) {
  (async () => {
    const servers = await startTestServers();
    try {
      console.log(JSON.stringify(await measureConsoleFigures(), null, 2));
    } finally {
      await stopTestServers(servers);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
