/**
 * The console in a real browser (Debian's Chromium via playwright-core)
 * against the real stack: the worker and the API as child processes on the
 * Temporal and FerretDB servers of jest's global setup. Screenshots go to
 * test-artifacts/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MessageRecord } from '../../domain/chat';
import { insertMessageOnce } from '../../store/messageStore';
import { connectMongo } from '../../store/mongo';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { waitUntil } from '../../harness/client';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';
import { asRead, newSession, send, shownMessages, waitForStreamedText, waitForTurnNodesSucceeded, waitLive } from './consolePage';

jest.setTimeout(180_000);

let stack: ConsoleStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack('console-e2e'), launchChromium()]);
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

async function openConsole(url = stack.consoleUrl): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(url);
  return { page, errors };
}

const badge = (page: Page) => page.getByTestId('connection-badge');
const lastAssistant = (page: Page) => page.locator('.message.role-assistant').last();

interface ServerMessage {
  id: string;
  role: string;
  content: string;
  status: string;
}
async function serverMessages(sessionId: string): Promise<ServerMessage[]> {
  const data = await stack.graphql<{ messages: { messages: ServerMessage[] } }>(
    'query($id: ID!) { messages(session_id: $id, limit: 100) { messages { id role content status } } }',
    { id: sessionId },
  );
  return data.messages.messages;
}

describe('console', () => {
  it('without a token, or with a wrong one, explains how to get the URL instead of showing a blank page', async () => {
    const { page } = await openConsole(`${stack.baseUrl}/`);
    await page.waitForSelector('[data-testid="access-screen"][data-reason="missing"]');
    expect(await page.textContent('body')).toContain('npm start');
    await screenshot(page, 'console-no-token');

    await page.goto(`${stack.baseUrl}/?token=not-the-token-0000000000`);
    await page.waitForSelector('[data-testid="access-screen"][data-reason="rejected"]');
    expect(page.url()).not.toContain('token=');
  });

  it('keeps the token for the tab, strips it from the address bar, and lays out three panels at 1366×768', async () => {
    const { page, errors } = await openConsole();
    await waitLive(page);
    expect(page.url()).not.toContain('token=');
    await page.reload();
    await waitLive(page);
    const widths = await page
      .locator('.panel-row > .panel')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width));
    expect(widths).toHaveLength(3);
    expect(widths[0]).toBeGreaterThan(widths[1] * 0.9);
    expect(widths.reduce((a, b) => a + b, 0)).toBeGreaterThan(1300);

    // Keyboard resizing: the chat panel grows with → and the size survives a reload.
    const separator = page.getByRole('separator').first();
    const before = Number(await separator.getAttribute('aria-valuenow'));
    await separator.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    const after = Number(await separator.getAttribute('aria-valuenow'));
    expect(after).toBeGreaterThan(before);
    await page.reload();
    await waitLive(page);
    expect(Number(await page.getByRole('separator').first().getAttribute('aria-valuenow'))).toBe(after);
    for (let i = 0; i < 3; i++) {
      await page.getByRole('separator').first().focus();
      await page.keyboard.press('ArrowLeft');
    }

    // The meta panel collapses to a rail and comes back.
    await page.getByRole('button', { name: 'Collapse meta panel' }).click();
    await page.waitForSelector('.panel-meta.is-collapsed');
    await page.getByRole('button', { name: 'Show meta panel' }).click();
    await page.waitForSelector('.panel-meta:not(.is-collapsed)');
    expect(errors).toEqual([]);
  });

  it('creates a session, streams the answer with its model label, and the graph nodes turn to success', async () => {
    const { page, errors } = await openConsole();
    const sessionId = await newSession(page);
    await send(page, 'what is 17 * 23?');

    await page.waitForSelector('.message.role-user[data-message-id]');
    await page.waitForSelector('.exec-node', { timeout: 30_000 });
    await screenshot(page, 'console-turn-running');
    await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 60_000 });
    const answer = lastAssistant(page);
    expect(await answer.locator('.message-content').textContent()).toContain('391');
    expect(await answer.getByTestId('model-label').textContent()).toBe('offline model');

    // Every node ends in success, and the turn reports completed.
    await waitForTurnNodesSucceeded(page);
    await page.waitForSelector('.turn-frame .turn-phase.phase-completed', { timeout: 30_000 });

    // What the page shows is exactly what the server stored: nothing lost, nothing doubled.
    const stored = await serverMessages(sessionId);
    const shown = await shownMessages(page);
    expect(shown.map((m) => [m.id, asRead(m.content)])).toEqual(stored.map((m) => [m.id, asRead(m.content)]));
    // The session list counts the answer too once it has landed (it was read when the question was sent).
    await page.waitForFunction(
      (id) => document.querySelector(`[data-session-id="${id}"] .session-meta`)?.textContent?.startsWith('2 msg'),
      sessionId,
      { timeout: 15_000 },
    );

    // A message links to its nodes: clicking highlights them in the graph…
    await answer.getByTestId('show-nodes').click();
    await page.waitForSelector('.exec-node.is-highlighted');
    // …and selecting a node (the one just brought into view) highlights its messages.
    await page.waitForTimeout(500); // the pan to the highlighted nodes is animated
    await page.locator('.exec-node.is-highlighted').first().click();
    await page.waitForSelector('.message.is-highlighted');
    await page.waitForSelector('[data-testid="node-details"]');
    await screenshot(page, 'console-answer');
    expect(errors).toEqual([]);
  });

  it('with no session open, the first message starts one, titled by it, and is answered there', async () => {
    const { page, errors } = await openConsole();
    await waitLive(page);
    expect(await page.locator('.session-item.is-active').count()).toBe(0);
    await send(page, 'what is 12 * 12?');
    await page.waitForSelector('.session-item.is-active');
    const sessionId = (await page.locator('.session-item.is-active').getAttribute('data-session-id'))!;
    expect(await page.locator('.session-item.is-active').textContent()).toContain('what is 12 * 12?');
    await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 60_000 });
    expect(await lastAssistant(page).locator('.message-content').textContent()).toContain('144');
    expect((await serverMessages(sessionId)).map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(errors).toEqual([]);
  });

  it('stops a long answer: the partial text stays and is marked stopped', async () => {
    const { page, errors } = await openConsole();
    const sessionId = await newSession(page);
    await send(page, 'write a long story');
    const stop = page.getByTestId('stop-button');
    await stop.waitFor({ timeout: 30_000 });
    await waitForStreamedText(page, 80);
    await screenshot(page, 'console-streaming');
    await stop.click();
    await page.waitForSelector('.message.role-assistant[data-status="stopped"]', { timeout: 30_000 });
    await expect(page.getByTestId('stop-button').count()).resolves.toBe(0);
    const shown = (await lastAssistant(page).locator('.message-content').textContent()) ?? '';
    const stored = (await serverMessages(sessionId)).find((m) => m.role === 'assistant')!;
    expect(stored.status).toBe('stopped');
    expect(asRead(shown)).toBe(asRead(stored.content));
    expect(shown.length).toBeGreaterThan(80);
    // The answer is rendered as markdown: its paragraphs are paragraphs, not one run of text.
    expect(await lastAssistant(page).locator('.message-content .markdown > p').count()).toBeGreaterThan(1);
    await screenshot(page, 'console-stopped');
    expect(errors).toEqual([]);
  });

  it('opens a node\u2019s details and replays it: a new node appears linked by a replay edge', async () => {
    const { page, errors } = await openConsole();
    await newSession(page);
    await send(page, 'what is 2 + 2?');
    await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 60_000 });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.exec-node')].every((n) => n.getAttribute('data-status') === 'success'),
    );
    const nodeCount = async () => Number(((await page.getByTestId('graph-counts').textContent()) ?? '0').split(' ')[0]);
    const nodesBefore = await nodeCount();

    // Replayable: agent, plan, tool, memory, rag, response (domain/workflowContracts.ts).
    const target = page.locator('.exec-node[data-node-type="response"][data-status="success"]').first();
    await target.click();
    const drawer = page.getByTestId('node-details');
    await drawer.waitFor();
    await drawer.getByText('Input', { exact: true }).waitFor();
    expect(await drawer.locator('a', { hasText: 'Open in Temporal' }).getAttribute('href')).toMatch(
      /\/namespaces\/default\/workflows\/.+/,
    );
    await screenshot(page, 'console-node-details');

    await drawer.getByRole('button', { name: /Replay/ }).click();
    await page.waitForSelector('.react-flow__edge.edge-replay', { timeout: 60_000 });
    await drawer.getByTestId('replay-link').first().waitFor({ timeout: 30_000 });
    expect(await nodeCount()).toBeGreaterThan(nodesBefore);
    // The new node is brought into view next to the one replayed.
    await page.waitForSelector('.exec-node[data-node-id*="replay"]', { timeout: 10_000 });
    await page.waitForFunction(
      () => [...document.querySelectorAll('.exec-node')].every((n) => n.getAttribute('data-status') !== 'executing'),
      null,
      { timeout: 60_000 },
    );
    await screenshot(page, 'console-replay');
    expect(errors).toEqual([]);
  });

  it('a node dragged on the canvas stays where it was put: saved, followed live by another console, and there after a reload', async () => {
    const { page, errors } = await openConsole();
    const sessionId = await newSession(page);
    await send(page, 'what is 5 * 5?');
    await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 60_000 });
    await waitForTurnNodesSucceeded(page);
    const other = await openConsole();
    const showSession = async (p: Page) => {
      await waitLive(p);
      await p.locator(`[data-session-id="${sessionId}"]`).click();
      await p.waitForSelector('.exec-node[data-node-type="tool"]', { timeout: 30_000 });
    };
    await showSession(other.page);

    const toolId = (await page.locator('.exec-node[data-node-type="tool"]').first().getAttribute('data-node-id'))!;
    const flowNode = (p: Page) => p.locator(`.react-flow__node[data-id="${toolId}"]`);
    const canvasPosition = (p: Page) =>
      flowNode(p).evaluate((el) => {
        const m = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec((el as HTMLElement).style.transform);
        return m ? { x: Math.round(Number(m[1])), y: Math.round(Number(m[2])) } : null;
      });
    const start = await canvasPosition(page);
    const box = (await flowNode(page).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 70, box.y + box.height / 2 + 50, { steps: 8 });
    await page.mouse.up();

    const savedPosition = async () => {
      const { node } = await stack.graphql<{ node: { position: { x: number; y: number }; position_saved_at: string | null } }>(
        'query($s: ID!, $n: ID!) { node(session_id: $s, node_id: $n) { position position_saved_at } }',
        { s: sessionId, n: toolId },
      );
      return node.position_saved_at ? node.position : null;
    };
    const saved = await waitUntil('the move to be saved', savedPosition);
    expect(saved).not.toEqual(start);
    expect(saved.x).toBeGreaterThan(start!.x);
    expect(saved.y).toBeGreaterThan(start!.y);
    expect(await canvasPosition(page)).toEqual(saved);
    // The other console follows the move live, and a reload finds the node where it was put.
    await waitUntil(
      'the other console to move the node',
      async () => JSON.stringify(await canvasPosition(other.page)) === JSON.stringify(saved),
      15_000,
    );
    await page.reload();
    await showSession(page);
    expect(await canvasPosition(page)).toEqual(saved);

    // The arrow keys move a selected node too (20 px a press with Shift), and that move is saved the same way.
    await flowNode(page).click();
    await page.getByTestId('node-details').waitFor();
    await flowNode(page).focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    const keyed = { x: saved.x, y: saved.y + 40 };
    await waitUntil('the keyboard move to be saved', async () => JSON.stringify(await savedPosition()) === JSON.stringify(keyed));
    expect(await canvasPosition(page)).toEqual(keyed);
    await screenshot(page, 'console-node-moved');
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    // Two live consoles fewer for the tests that restart the API.
    await Promise.all([page.context().close(), other.page.context().close()]);
  });

  it('opens a node\u2019s details from the keyboard alone, and Escape hands focus back to the node', async () => {
    const { page, errors } = await openConsole();
    await newSession(page);
    await send(page, 'what is 17 * 23?');
    await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 60_000 });
    await waitForTurnNodesSucceeded(page);

    // From the composer, Tab reaches the graph and walks its nodes in order of execution, up to the calculator's.
    await page.getByTestId('composer-input').focus();
    const focusedNodeType = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.matches('.react-flow__node') ? (el.firstElementChild?.getAttribute('data-node-type') ?? null) : null;
      });
    const tabbed: string[] = [];
    for (let presses = 0; presses < 60 && tabbed.at(-1) !== 'tool'; presses += 1) {
      await page.keyboard.press('Tab');
      const type = await focusedNodeType();
      if (type) tabbed.push(type);
    }
    // The graph renders only the nodes in view (a turn with its decision node may not fit whole),
    // so the walk covers the last of the turn's first nodes, in order, ending at the tool.
    const executionOrder = ['user_input', 'model_selector', 'agent', 'plan', 'tool'];
    expect(tabbed.length).toBeGreaterThanOrEqual(2);
    expect(tabbed).toEqual(executionOrder.slice(executionOrder.length - tabbed.length));
    const isFocused = (el: Element) => el === document.activeElement;
    const tool = page.getByRole('group', { name: /: tool calculator@\w+, succeeded, (<1|\d+) ms$/ });
    expect(await tool.evaluate(isFocused)).toBe(true);
    expect(await tool.locator('.exec-node').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    const toolId = await tool.getAttribute('data-id');

    // Enter opens its details and moves focus into them; the close and Replay buttons come next.
    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('node-details');
    await drawer.waitFor();
    expect(await drawer.getAttribute('data-node-id')).toBe(toolId);
    expect(await drawer.locator('.kv').textContent()).toContain(toolId);
    expect(await drawer.evaluate(isFocused)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await drawer.getByRole('button', { name: 'Close details' }).evaluate(isFocused)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await drawer.getByRole('button', { name: /Replay/ }).evaluate(isFocused)).toBe(true);
    await screenshot(page, 'console-keyboard-details');

    // Escape closes them and hands focus back to the node.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    expect(await tool.evaluate(isFocused)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('renames and deletes a session (after confirming), and pages through a long history', async () => {
    const { page, errors } = await openConsole();
    const sessionId = await newSession(page);
    const item = page.locator(`[data-session-id="${sessionId}"]`);
    await item.hover();
    await item.getByRole('button', { name: /^Rename/ }).click();
    await item.getByRole('textbox', { name: 'Session title' }).fill('Quarterly numbers');
    await page.keyboard.press('Enter');
    await item.getByText('Quarterly numbers').waitFor();
    await page.getByRole('tab', { name: 'Quarterly numbers' }).waitFor();

    // 95 stored messages: the newest page shows, older pages load on demand.
    const mongo = await connectMongo(process.env.MONGODB_URL!, stack.dbName);
    try {
      for (let i = 0; i < 95; i++) {
        const message: MessageRecord = {
          id: `paged-${String(i).padStart(3, '0')}`,
          session_id: sessionId,
          role: i % 2 ? 'assistant' : 'user',
          content: `message number ${i}`,
          timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
          status: 'complete',
          node_ids: [],
          turn_id: `paged-turn-${Math.floor(i / 2)}`,
          model: i % 2 ? { provider: 'offline', model: 'evoscope-offline-1', offline: true } : null,
          error: null,
        };
        await insertMessageOnce(mongo.db, message);
      }
    } finally {
      await mongo.client.close();
    }
    await page.reload();
    await waitLive(page);
    await page.getByText('message number 94').waitFor();
    const firstPage = await page.locator('.message[data-message-id]').count();
    expect(firstPage).toBeLessThan(95);
    await page.getByRole('button', { name: 'Load older messages' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.message[data-message-id]').length > n, firstPage);
    while (await page.getByRole('button', { name: 'Load older messages' }).count()) {
      const shown = await page.locator('.message[data-message-id]').count();
      await page.getByRole('button', { name: 'Load older messages' }).click();
      await page.waitForFunction((n) => document.querySelectorAll('.message[data-message-id]').length > n, shown);
    }
    const ids = await page
      .locator('.message[data-message-id]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-message-id')));
    expect(ids).toEqual(Array.from({ length: 95 }, (_, i) => `paged-${String(i).padStart(3, '0')}`));
    await screenshot(page, 'console-history');

    await item.hover();
    await item.getByRole('button', { name: /^Delete/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this session?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(item.count()).resolves.toBe(1);
    await item.hover();
    await item.getByRole('button', { name: /^Delete/ }).click();
    await dialog.getByRole('button', { name: 'Delete session' }).click();
    await item.waitFor({ state: 'detached' });
    await expect(page.getByRole('tab', { name: 'Quarterly numbers' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('changes the autonomy level on the server: it is still selected after a reload', async () => {
    const { page, errors } = await openConsole();
    await waitLive(page);
    const autonomy = page.getByTestId('autonomy');
    await autonomy.getByText('Semi-auto').click();
    await page.waitForSelector('.autonomy-option.is-on >> text=Semi-auto');
    await page.waitForFunction(() => !document.querySelector('[data-testid="autonomy"] input:disabled'));
    expect((await stack.graphql<{ autonomy_level: string }>('{ autonomy_level }')).autonomy_level).toBe('semi_auto');
    await page.reload();
    await waitLive(page);
    await page.waitForSelector('.autonomy-option.is-on >> text=Semi-auto');
    expect(await page.locator('input[name="autonomy"][value="semi_auto"]').isChecked()).toBe(true);
    await autonomy.getByText('Manual').click();
    await page.waitForSelector('.autonomy-option.is-on >> text=Manual');
    expect(errors).toEqual([]);
  });

  it('survives the API going away mid-answer: badge shows reconnecting, then live, and the text is whole and not doubled', async () => {
    const { page, errors } = await openConsole();
    const sessionId = await newSession(page);
    await send(page, 'write a long story');
    await waitForStreamedText(page, 40);

    // Kill the API process: every socket drops. Start it again on the same port.
    const restarted = stack.restartApi(1500);
    await page.waitForSelector('[data-testid="connection-badge"][data-phase="reconnecting"]', { timeout: 15_000 });
    await screenshot(page, 'console-reconnecting');
    await restarted;
    await waitLive(page, 60_000);
    expect(await badge(page).textContent()).toContain('Live');

    await page.waitForSelector(
      '.message.role-assistant[data-status="complete"], .message.role-assistant[data-status="stopped"]',
      { timeout: 120_000 },
    );
    const stored = await serverMessages(sessionId);
    const shown = await shownMessages(page);
    expect(shown.map((m) => [m.id, asRead(m.content)])).toEqual(stored.map((m) => [m.id, asRead(m.content)]));
    expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);

    await screenshot(page, 'console-recovered');
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
  });

  it('recovers when the browser drops its socket mid-answer, resuming from the last event seen', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    // Keep a handle on every WebSocket the page opens (graphql-ws keeps its own private).
    await context.addInitScript(`(() => {
      const Native = window.WebSocket;
      window.__sockets = [];
      window.WebSocket = class extends Native {
        constructor(url, protocols) { super(url, protocols); window.__sockets.push(this); }
      };
    })()`);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(stack.consoleUrl);
    const sessionId = await newSession(page);
    await send(page, 'write a long story');
    await waitForStreamedText(page, 40);
    const opened = await page.evaluate('window.__sockets.length');
    // The reconnect can be quick: record every phase the badge shows rather than hoping to catch one.
    await page.evaluate(`(() => {
      const badge = document.querySelector('[data-testid="connection-badge"]');
      window.__phases = [badge.getAttribute('data-phase')];
      new MutationObserver(() => window.__phases.push(badge.getAttribute('data-phase'))).observe(badge, { attributes: true, attributeFilter: ['data-phase'] });
    })()`);
    await page.evaluate(
      'window.__sockets.filter((s) => s.readyState === 1).forEach((s) => s.close(4499, "test drops the socket"))',
    );
    // A function, not a string: a string predicate is eval'd in the page, which the console's CSP refuses.
    await page.waitForFunction(
      () => {
        const phases = (window as unknown as { __phases: string[] }).__phases;
        return phases.includes('reconnecting') && phases[phases.length - 1] === 'live';
      },
      null,
      { timeout: 30_000 },
    );
    await waitLive(page);
    expect(await page.evaluate('window.__sockets.length')).toBeGreaterThan(opened as number);
    await page.waitForSelector('.message.role-assistant[data-status="complete"]', { timeout: 120_000 });
    const stored = await serverMessages(sessionId);
    const shown = await shownMessages(page);
    expect(shown.map((m) => [m.id, asRead(m.content)])).toEqual(stored.map((m) => [m.id, asRead(m.content)]));
    expect(errors).toEqual([]);
  });
});
