/**
 * What the evolution browser tests run on: a temporary copy of components/ (the repo's folder
 * is never touched) plus `scaler` and `amplifier`, tunables whose default factor 1 is wrong
 * (their suites want 3), so the offline operator has a real winner to find.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { suiteFor, tunableComponent } from '../support/tunableComponent';
import { launchChromium, watchPageErrors } from '../../harness/browser';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';

export const TUNABLES = ['scaler', 'amplifier'] as const;

export interface EvolutionFixture {
  dir: string;
  componentsDir: string;
  suitesDir: string;
}

/** `shippedSuites: false` leaves the shipped components without suites, so only the tunables can be evolved. */
export async function createEvolutionFixture(name: string, options: { shippedSuites: boolean }): Promise<EvolutionFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `evoscope-${name}-`));
  const componentsDir = path.join(dir, 'components');
  const suitesDir = path.join(dir, 'suites');
  await cp(path.resolve(__dirname, '../../components'), componentsDir, {
    recursive: true,
    filter: (src) => !src.endsWith('.ts') && !src.endsWith('.md'),
  });
  await mkdir(suitesDir);
  if (options.shippedSuites) await cp(path.resolve(__dirname, '../../datasets/suites'), suitesDir, { recursive: true });
  for (const tunable of TUNABLES) {
    await writeFile(path.join(componentsDir, 'tools', `${tunable}.js`), tunableComponent(tunable, 1));
    await writeFile(path.join(suitesDir, `${tunable}.json`), JSON.stringify(suiteFor(tunable)));
  }
  return { dir, componentsDir, suitesDir };
}

/** The console's evolution controls, as a person uses them. */
export function evolutionConsole(page: Page) {
  const tab = (name: 'execution' | 'evolution' | 'sandbox' | 'diff') => page.getByTestId(`viz-tab-${name}`).click();
  return {
    tab,
    /** The sandbox's list of experiments and the new-experiment form (not one experiment's page). */
    async openExperimentList() {
      await tab('sandbox');
      await page.waitForSelector('[data-testid="new-experiment"], [data-testid="experiment-page"]');
      if (await page.getByTestId('experiment-page').count())
        await page.getByRole('button', { name: '← All experiments' }).click();
      await page.getByTestId('experiment-list').waitFor({ state: 'attached' });
    },
    async setAutonomy(name: 'Manual' | 'Assisted' | 'Semi-auto' | 'Full') {
      await page.getByTestId('autonomy').getByText(name, { exact: true }).click();
      await page.waitForSelector(`.autonomy-option.is-on >> text=${name}`);
    },
    experimentStatus: (status: string, timeout = 120_000) =>
      page.waitForSelector(`[data-testid="experiment-page"][data-status="${status}"]`, { timeout }),
    /** Waits until the pending badge (visible from every tab) shows `count`; 0 means it is gone. */
    async pendingCount(count: number) {
      if (count === 0) return page.getByTestId('pending-badge').waitFor({ state: 'detached', timeout: 30_000 });
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="pending-badge"] .count-badge')?.textContent === String(n),
        count,
        { timeout: 30_000 },
      );
    },
  };
}

export interface EvolutionConsoleRun {
  fixture: EvolutionFixture;
  stack: ConsoleStack;
  page: Page;
  /** Errors the page raised (uncaught exceptions, console errors). */
  errors: string[];
  ui: ReturnType<typeof evolutionConsole>;
}

/**
 * For one test file: a fresh fixture, the real stack over it (no watch window, so a promoted
 * version is final at once) and the console open and live in Chromium; all torn down after.
 * The fields are filled in by `beforeAll`.
 */
export function useEvolutionConsole(name: string, options: { shippedSuites: boolean }): EvolutionConsoleRun {
  const run = {} as EvolutionConsoleRun;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    run.fixture = await createEvolutionFixture(name, options);
    [run.stack, browser] = await Promise.all([
      startConsoleStack(name, { EVOSCOPE_COMPONENTS_DIR: run.fixture.componentsDir, EVOSCOPE_SUITES_DIR: run.fixture.suitesDir }),
      launchChromium(),
    ]);
    await run.stack.graphql('mutation { update_change_rules(rules: { watch_window_minutes: 0 }) }');
    context = await browser.newContext({ viewport: { width: 1600, height: 940 } });
    run.page = await context.newPage();
    run.errors = watchPageErrors(run.page);
    run.ui = evolutionConsole(run.page);
    await run.page.goto(run.stack.consoleUrl);
    await run.page.waitForSelector('[data-testid="connection-badge"][data-phase="live"]', { timeout: 30_000 });
  }, 240_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await run.stack?.stop();
    if (run.fixture) await rm(run.fixture.dir, { recursive: true, force: true });
  });
  return run;
}
