/** Driving the console page the way a person does; shared by the browser tests. */
import type { Page } from 'playwright-core';

export const waitLive = (page: Page, timeout = 30_000) =>
  page.waitForSelector('[data-testid="connection-badge"][data-phase="live"]', { timeout });

/** Creates a session with "+ New" and returns its id once the composer is ready. */
export async function newSession(page: Page): Promise<string> {
  await waitLive(page);
  const before = await page.locator('[data-session-id]').count();
  await page.getByRole('button', { name: '+ New', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-session-id]').length > n, before);
  await page.waitForSelector('.session-item.is-active');
  const id = await page.locator('.session-item.is-active').getAttribute('data-session-id');
  await page.waitForSelector('[data-testid="composer-input"]:not([disabled])');
  return id!;
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('send-button').click();
}

/** Until the answer being streamed shows more than `minChars` characters. */
export async function waitForStreamedText(page: Page, minChars: number): Promise<void> {
  await page.waitForFunction(
    (min) => {
      const el = [...document.querySelectorAll('.message.role-assistant[data-status="streaming"] .message-content')].pop();
      return (el?.textContent?.length ?? 0) > min;
    },
    minChars,
    { timeout: 60_000 },
  );
}

/** Until the graph shows a turn's nodes (three at least), every one of them succeeded. */
export async function waitForTurnNodesSucceeded(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const nodes = [...document.querySelectorAll('.exec-node')];
      return nodes.length >= 3 && nodes.every((n) => n.getAttribute('data-status') === 'success');
    },
    null,
    { timeout: 30_000 },
  );
}

/** Text as a reader sees it: answers render as markdown, so their blank lines become paragraphs. */
export const asRead = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What the page shows for each message: id, status and text (without the header). */
export async function shownMessages(page: Page) {
  return page.locator('.message[data-message-id]').evaluateAll((els) =>
    els.map((el) => ({
      id: el.getAttribute('data-message-id'),
      status: el.getAttribute('data-status'),
      content: el.querySelector('.message-content')?.textContent ?? '',
    })),
  );
}
