/**
 * Predictions and "Run sweep now" in Debian's Chromium against the real stack. Only the two
 * tunable test components have suites here, so exactly they are executable: a person executes
 * scaler's prediction at manual and sees predicted vs actual once they approve; then the sweep
 * proposes nothing at manual and starts amplifier's evolution at assisted, which waits for a
 * person. Screenshots go to test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import type { ConsoleStack } from '../../harness/consoleStack';
import { useEvolutionConsole, type EvolutionConsoleRun, type EvolutionFixture } from './evolutionFixture';

jest.setTimeout(300_000);

const run = useEvolutionConsole('predictions-e2e', { shippedSuites: false });
let stack: ConsoleStack;
let page: Page;
let ui: EvolutionConsoleRun['ui'];
let fixture: EvolutionFixture;
beforeAll(() => {
  ({ stack, page, ui, fixture } = run);
});

const prediction = (id: string) => page.locator(`[data-testid="predictions"] [data-prediction-id="${id}"]`);
const experimentPage = () => page.getByTestId('experiment-page');
const sweepOutcome = (text: string) =>
  page.waitForFunction((t) => document.querySelector('[data-testid="sweep-outcome"]')?.textContent?.includes(t), text, {
    timeout: 120_000,
  });
const startedBySweep = () => page.locator('[data-testid="experiment-list"] [data-experiment-id^="sweep-"]');

describe('predictions and the evolution sweep', () => {
  let executedId: string;

  it('manual: Execute starts the evolution and opens it; once approved the prediction shows predicted vs actual', async () => {
    await ui.setAutonomy('Manual');
    const scaler = prediction('pred-scaler-failing_cases');
    await scaler.waitFor({ timeout: 120_000 });
    expect(await scaler.textContent()).toContain('scaler: 18 of 18 suite cases fail');
    await screenshot(page, 'predictions-open');

    await scaler.getByRole('button', { name: 'Execute' }).click();
    await experimentPage().waitFor({ timeout: 30_000 });
    executedId = (await experimentPage().getAttribute('data-experiment-id'))!;
    // While it runs the prediction links to it.
    await scaler.getByRole('button', { name: 'open experiment' }).waitFor({ timeout: 30_000 });
    await ui.experimentStatus('awaiting_approval');
    expect(await page.getByTestId('decision-reason').textContent()).toContain('autonomy level manual');
    await ui.pendingCount(1);
    await screenshot(page, 'predictions-executed-awaiting');

    await page.getByTestId('approve-button').click();
    await ui.experimentStatus('approved', 30_000);
    await ui.pendingCount(0);
    const outcome = scaler.locator('.prediction-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toMatch(/predicted \+\d\.\d{3} · actual \+\d\.\d{3}/);
    await screenshot(page, 'predictions-predicted-vs-actual');

    // The outcome links back to the experiment that settled it.
    await ui.openExperimentList();
    await outcome.getByRole('button', { name: 'experiment' }).click();
    await page.waitForSelector(`[data-testid="experiment-page"][data-experiment-id="${executedId}"]`);
  });

  it('manual: "Run sweep now" only predicts; assisted: it starts an experiment that waits for a person', async () => {
    const runSweep = () => page.getByTestId('schedule').getByRole('button', { name: 'Run sweep now' }).click();
    await runSweep();
    await sweepOutcome('at manual no experiment is started');
    await ui.openExperimentList();
    await page.locator(`[data-testid="experiment-list"] [data-experiment-id="${executedId}"]`).waitFor();
    expect(await startedBySweep().count()).toBe(0);
    await screenshot(page, 'sweep-manual');

    await ui.setAutonomy('Assisted');
    await runSweep();
    await sweepOutcome('started 1 experiment');
    const proposed = startedBySweep();
    await proposed.waitFor({ timeout: 30_000 });
    expect(await proposed.textContent()).toContain('amplifier');
    await page.waitForSelector('[data-testid="experiment-list"] [data-experiment-id^="sweep-"].exp-awaiting_approval', {
      timeout: 120_000,
    });
    await ui.pendingCount(1);
    await screenshot(page, 'sweep-assisted-awaiting');

    await proposed.click();
    await ui.experimentStatus('awaiting_approval', 30_000);
    expect(await page.getByTestId('decision-reason').textContent()).toContain('autonomy level assisted');
    await page.getByTestId('approve-button').click();
    await ui.experimentStatus('approved', 30_000);
    await ui.pendingCount(0);
    expect(await readFile(path.join(fixture.componentsDir, 'tools', 'amplifier.js'), 'utf8')).toContain('factor: { default: 3,');
    await screenshot(page, 'sweep-assisted-approved');
    expect(run.errors).toEqual([]);
  });

  it('REST: POST /api/meta/evolution/schedule/run runs the same sweep (nothing left to evolve now)', async () => {
    const res = await fetch(`${stack.baseUrl}/api/meta/evolution/schedule/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      workflow_id: expect.stringMatching(/^evolution-sweep-now-/),
      level: 'assisted',
      started: [],
      predictions: expect.any(Number),
    });
  });
});
