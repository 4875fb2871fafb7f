/**
 * Teaching from the console in Chromium against the real stack, offline: an answer is marked
 * wrong, the form says what was expected, and the lesson shows in the meta panel's taught
 * cases with its component, who taught it and its split.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';
import { newSession, send } from './consolePage';

jest.setTimeout(180_000);

let stack: ConsoleStack;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack('teach-e2e'), launchChromium()]);
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
});

async function openConsole(): Promise<{ page: Page; errors: string[] }> {
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(stack.consoleUrl);
  return { page, errors };
}

it('marks an answer wrong, fills in what was expected, and sees the taught case listed', async () => {
  const { page, errors } = await openConsole();
  await newSession(page);
  await send(page, 'what is 2+2');
  const answer = page.locator('.message.role-assistant[data-status="complete"]').last();
  await answer.waitFor({ timeout: 60_000 });

  await answer.getByTestId('mark-wrong').click();
  const form = answer.getByTestId('expectation-form');
  // The tool select offers the registry's tools (and "none").
  await form.locator('select option[value="unit_convert"]').waitFor({ state: 'attached' });
  await form.locator('select').selectOption('unit_convert');
  await form.getByRole('button', { name: 'Teach' }).click();
  await answer.getByTestId('feedback-done').waitFor();
  expect(await answer.getByTestId('feedback-done').textContent()).toMatch(/^Taught: intent_analyser \((train|held-out)\)$/);

  const listed = page.locator('[data-testid="taught-cases"] .taught-case').first();
  await listed.waitFor({ timeout: 30_000 });
  const text = (await listed.textContent()) ?? '';
  expect(text).toContain('“what is 2+2”');
  expect(text).toContain('intent_analyser: chose calculator; expected unit_convert');
  expect(text).toContain('by console');
  expect(text).toMatch(/train|held-out/);
  await screenshot(page, 'console-taught-case');

  const taught = await stack.graphql<{ taught_cases: { request: string; component: string }[] }>(
    '{ taught_cases { request component } }',
  );
  expect(taught.taught_cases).toEqual([{ request: 'what is 2+2', component: 'intent_analyser' }]);
  expect(errors).toEqual([]);
});
