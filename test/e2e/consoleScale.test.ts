/**
 * A 5,000-node session in the browser: it opens with finished turns collapsed
 * into one node each, only what is on screen is in the DOM, and a collapsed
 * turn expands on click. (The timings are `npm run bench`'s job: bench/consoleFigures.ts.)
 */
import type { Browser } from 'playwright-core';
import { connectMongo, type Mongo } from '../../store/mongo';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';
import { seedFinishedTurns } from '../../harness/graphSeed';

jest.setTimeout(180_000);

let stack: ConsoleStack;
let browser: Browser;
let mongo: Mongo;

beforeAll(async () => {
  // No run starts here, so the API alone is enough.
  [stack, browser] = await Promise.all([startConsoleStack('console-scale', {}, { waitForWorker: false }), launchChromium()]);
  mongo = await connectMongo(process.env.MONGODB_URL!, stack.dbName);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await mongo?.client.close();
  await stack?.stop();
});

it('opens a 5,000-node session collapsed, renders only visible elements, and expands a turn on click', async () => {
  const { create_session } = await stack.graphql<{ create_session: { id: string } }>(
    'mutation { create_session(title: "Large session") { id } }',
  );
  const seeded = await seedFinishedTurns(mongo.db, create_session.id, 500);
  expect(seeded.nodes).toBe(5000);

  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors = watchPageErrors(page);
  await page.goto(stack.consoleUrl);
  await page.waitForSelector('[data-testid="connection-badge"][data-phase="live"]');
  await page.locator(`[data-session-id="${create_session.id}"] .session-open`).click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="graph-counts"]')?.textContent?.startsWith('5000 nodes'),
    null,
    { timeout: 60_000 },
  );
  await page.waitForSelector('.turn-group');

  // 499 collapsed turns and the newest one open: far fewer than 5,000 elements, and only the visible ones in the DOM.
  const rendered = await page.locator('.react-flow__node').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(100);
  await screenshot(page, 'console-5000-nodes');

  // Zoom to an older turn, then expand it with a click.
  await page.getByLabel('Zoom to a turn').selectOption({ label: 'Turn 3' });
  const group = page.locator('.turn-group[data-turn-id$=":t2"]');
  await group.waitFor();
  await group.click();
  await page.waitForSelector('.turn-frame[data-turn-id$=":t2"]');
  // Expanding brings the whole turn into view.
  await page.waitForFunction(() => document.querySelectorAll('.exec-node').length >= 10, null, { timeout: 10_000 });
  await screenshot(page, 'console-5000-nodes-expanded');
  expect(errors).toEqual([]);
});
