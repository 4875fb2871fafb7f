/**
 * Browser figures for `npm run bench`: how long a 5,000-node session takes to
 * open in the console, and the frame rate while panning it as 100 execution
 * events per second arrive. Measured in Debian's Chromium (headless, software
 * rendering) against the real API; never asserted in tests.
 *
 *   node --no-node-snapshot --import tsx bench/consoleFigures.ts
 * or from bench/run.ts: `await measureConsoleFigures()`.
 *
 * The 5,000 nodes are written into the store directly (graphSeed.ts) and read
 * through the real API. The live events during the pan are added to the
 * console's own graphql-ws connection (the real socket, proxied by
 * Playwright), continuing its sequence numbers: the event log on FerretDB
 * cannot take 100 appends per second to one stream, and it is the browser's
 * frame rate under that load that is measured here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import type { ExecutionEventData } from '../domain/events';
import { connectMongo } from '../store/mongo';
import { startTestServers, stopTestServers } from '../harness/servers';
import { ARTIFACTS_DIR, launchChromium, screenshot } from '../harness/browser';
import { startConsoleStack, type ConsoleStack } from '../harness/consoleStack';
import { liveTurnEvents, seedFinishedTurns } from '../harness/graphSeed';

export interface ConsoleFigures {
  nodes: number;
  /** Click on the session → graph drawn with every node counted (median of runs). */
  open_ms: number;
  open_runs_ms: number[];
  /** Of open_ms, the part after the API's execution_graph answer arrived (parse, layout, render). */
  open_client_ms: number;
  /** Frames per second while dragging the canvas, with events arriving. */
  pan_fps: number;
  pan_seconds: number;
  events_per_second: number;
  /** Nodes the console counted at the end, minus the seeded ones: every live node arrived. */
  live_nodes_shown: number;
  live_nodes_sent: number;
  /** DOM nodes React Flow rendered at the end (only visible elements are rendered). */
  rendered_flow_nodes: number;
  viewport: string;
  chromium: string;
}

const OPEN_RUNS = 3;

/** Proxies the console's graphql-ws socket and can add execution events to its live subscription. */
async function attachEventInjector(page: Page) {
  let socket: WebSocketRoute | null = null;
  let subscriptionId: string | null = null;
  let lastSeq = 0;
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    socket = ws;
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as { id?: string; type: string; payload?: { query?: string } };
      if (parsed.type === 'subscribe' && parsed.payload?.query?.includes('execution_events')) subscriptionId = parsed.id ?? null;
      server.send(message);
    });
    server.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as {
        id?: string;
        type: string;
        payload?: { data?: { execution_events?: { seq: number } } };
      };
      const seq = parsed.payload?.data?.execution_events?.seq;
      if (parsed.id === subscriptionId && typeof seq === 'number') lastSeq = Math.max(lastSeq, seq);
      ws.send(message);
    });
  });
  return {
    setBaseSeq: (seq: number) => (lastSeq = Math.max(lastSeq, seq)),
    send(sessionId: string, data: ExecutionEventData) {
      if (!socket || !subscriptionId) return false;
      lastSeq += 1;
      const event = { stream: `execution:${sessionId}`, seq: lastSeq, data, created_at: new Date().toISOString() };
      socket.send(JSON.stringify({ id: subscriptionId, type: 'next', payload: { data: { execution_events: event } } }));
      return true;
    },
  };
}

async function openSession(page: Page, sessionId: string, expectNodes: number): Promise<{ total: number; client: number }> {
  await page.evaluate(() => localStorage.removeItem('evoscope.tabs.v1'));
  await page.reload();
  await page.waitForSelector('[data-testid="connection-badge"][data-phase="live"]');
  let answeredAt = 0;
  const onFinished = (request: { postData(): string | null }) => {
    if (request.postData()?.includes('query ExecutionGraph')) answeredAt = Date.now();
  };
  page.on('requestfinished', onFinished);
  const startedAt = Date.now();
  await page.locator(`[data-session-id="${sessionId}"] .session-open`).click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid="graph-counts"]')?.textContent?.startsWith(`${n} nodes`) &&
      document.querySelectorAll('.react-flow__node').length > 0,
    expectNodes,
    { timeout: 60_000, polling: 'raf' },
  );
  // Until the frame that shows it has been painted.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const doneAt = Date.now();
  page.off('requestfinished', onFinished);
  return { total: doneAt - startedAt, client: answeredAt ? doneAt - answeredAt : Number.NaN };
}

export async function measureConsoleFigures(
  existing?: ConsoleStack,
  turns = 500,
  eventsPerSecond = 100,
  panSeconds = 6,
): Promise<ConsoleFigures> {
  const stack = existing ?? (await startConsoleStack('bench-console', {}, { waitForWorker: false }));
  const mongo = await connectMongo(process.env.MONGODB_URL!, stack.dbName);
  const browser = await launchChromium();
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const { create_session } = await stack.graphql<{ create_session: { id: string } }>(
      'mutation { create_session(title: "5,000 nodes") { id } }',
    );
    const sessionId = create_session.id;
    const seeded = await seedFinishedTurns(mongo.db, sessionId, turns);

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const injector = await attachEventInjector(page);
    await page.goto(stack.consoleUrl);
    const runs: { total: number; client: number }[] = [];
    for (let i = 0; i < OPEN_RUNS; i++) runs.push(await openSession(page, sessionId, seeded.nodes));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    await screenshot(page, 'bench-5000-nodes');

    // Live load: new turns keep arriving at the given rate while we pan.
    const queue: ExecutionEventData[] = [];
    let nextTurn = turns;
    let sent = 0;
    let liveNodes = 0;
    const perTick = Math.round(eventsPerSecond / 50);
    timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) {
        if (queue.length === 0) queue.push(...liveTurnEvents(sessionId, nextTurn++));
        const event = queue.shift()!;
        if (injector.send(sessionId, event)) {
          sent++;
          if (event.type === 'node_started') liveNodes++;
        }
      }
    }, 1000 / 50);

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
    for (let step = 0; Date.now() - t0 < panSeconds * 1000; step++) {
      const angle = (step / 90) * Math.PI * 2;
      await page.mouse.move(cx + Math.sin(angle) * canvas.width * 0.25, cy + (1 - Math.cos(angle)) * canvas.height * 0.2);
    }
    await page.mouse.up();
    const elapsed = (Date.now() - t0) / 1000;
    const frames = await page.evaluate<number>('(window.__counting = false, window.__frames)');
    clearInterval(timer);
    timer = undefined;
    await page.waitForTimeout(500);
    const counted = Number(((await page.locator('[data-testid="graph-counts"]').textContent()) ?? '0').split(' ')[0]);
    const rendered = await page.locator('.react-flow__node').count();
    await screenshot(page, 'bench-5000-nodes-live');
    const figures: ConsoleFigures = {
      nodes: seeded.nodes,
      open_ms: median(runs.map((r) => r.total)),
      open_runs_ms: runs.map((r) => r.total),
      open_client_ms: median(runs.map((r) => r.client)),
      pan_fps: Math.round((frames / elapsed) * 10) / 10,
      pan_seconds: Math.round(elapsed * 10) / 10,
      events_per_second: Math.round(sent / elapsed),
      live_nodes_shown: counted - seeded.nodes,
      live_nodes_sent: liveNodes,
      rendered_flow_nodes: rendered,
      viewport: '1366x768',
      chromium: browser.version(),
    };
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS_DIR, 'console-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    return figures;
  } finally {
    if (timer) clearInterval(timer);
    await browser.close();
    await mongo.client.close();
    if (!existing) await stack.stop();
  }
}

if (require.main === module) {
  (async () => {
    const servers = await startTestServers();
    try {
      console.log(
        JSON.stringify(
          await measureConsoleFigures(undefined, Number(process.env.BENCH_TURNS ?? 500), Number(process.env.BENCH_EPS ?? 100)),
          null,
          2,
        ),
      );
    } finally {
      await stopTestServers(servers);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
