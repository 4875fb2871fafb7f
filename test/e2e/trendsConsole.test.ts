/**
 * The Trends tab in Debian's Chromium against the real stack: the plots render, and each follows
 * the live stream. A chat turn moves the turns-per-minute plot (via the pushed system metrics); an
 * experiment decided and a prediction settled (stored, then announced on the meta stream, as the
 * evolution workflows do) add a mark to the component's score plot and a point to the predictions
 * plot, without a reload; a mark opens its experiment. Screenshots go to test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import type { ExperimentRecord } from '../../domain/evolution';
import { emitMetaEvent } from '../../store/emit';
import { evolutionCollections } from '../../store/evolutionStore';
import { connectMongo, type Mongo } from '../../store/mongo';
import { claimPrediction, saveProposal } from '../../store/predictionStore';
import { recordPredictionSettled } from '../../store/predictionSettled';
import { conclusionFor } from '../support/evolutionFixtures';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { newSession, send, waitLive } from './consolePage';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';

jest.setTimeout(240_000);

let stack: ConsoleStack;
let browser: Browser;
let mongo: Mongo;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack('trends-e2e'), launchChromium()]);
  mongo = await connectMongo(process.env.MONGODB_URL!, stack.dbName);
  page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  errors = watchPageErrors(page);
  await page.goto(stack.consoleUrl);
  await waitLive(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await mongo?.client.close();
  await stack?.stop();
});

const turnsShown = () => page.getByTestId('activity-plots').getAttribute('data-turns').then(Number);

/** An experiment on calculator that concluded B better on its held-out cases and promoted B, as the evolution stores it. */
function promotedExperiment(id: string): ExperimentRecord {
  const at = new Date().toISOString();
  return {
    id,
    component: 'calculator',
    version_a: 'aaaaaaaaaaaa',
    version_b: 'bbbbbbbbbbbb',
    goal: null,
    test_suite: { name: 'calculator', hash: 'h' },
    repetitions: 1,
    status: 'completed',
    results_a: null,
    results_b: null,
    conclusion: conclusionFor('b_better'),
    decision: { action: 'promote', outcome: 'promoted', reason: 'B is better', decided_by: 'system', autonomy_level: 'full', at },
    rolled_back: null,
    workflow_id: `wf-${id}`,
    prediction_id: null,
    created_at: at,
    updated_at: at,
  };
}

describe('trends', () => {
  it('renders the last hour, and a new turn moves the turns-per-minute plot live', async () => {
    await page.getByTestId('viz-tab-trends').click();
    const turnsPlot = page.getByTestId('turns-per-minute');
    await turnsPlot.locator('svg[aria-label^="Turns per minute over the last hour"]').waitFor();
    for (const label of ['Error rate over', 'Turn time over', 'Predicted against actual'])
      await page.locator(`svg[aria-label^="${label}"]`).waitFor();
    expect(await turnsShown()).toBe(0);
    const drawn = () => turnsPlot.locator('svg path').evaluateAll((paths) => paths.map((p) => p.getAttribute('d')).join('|'));
    const before = await drawn();

    await newSession(page);
    // The caption counts this minute's turns: send early in a minute, so the turn, its worker's
    // publication and the console's folded refetch all fall within it.
    while (new Date().getSeconds() > 15) await new Promise((r) => setTimeout(r, 1000));
    await send(page, 'what is 6*7');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="activity-plots"]')?.getAttribute('data-turns') === '1',
      null,
      {
        timeout: 60_000,
      },
    );
    expect(await turnsPlot.locator('figcaption').textContent()).toContain('turns 1');
    // The line itself moved: this minute's point rose from 0 to 1.
    expect(await drawn()).not.toBe(before);
    await screenshot(page, 'trends-activity');
  });

  it('a decided experiment and a settled prediction appear without a reload; a mark opens its experiment', async () => {
    expect(await page.getByTestId('score-plot').count()).toBe(0);
    const experiment = promotedExperiment('trends-exp-1');
    await evolutionCollections(mongo.db).experiments.insertOne({ _id: experiment.id, ...experiment });
    await emitMetaEvent(mongo.db, `${experiment.id}:decided`, {
      type: 'experiment_decided',
      experiment_id: experiment.id,
      component: 'calculator',
      action: 'promote',
      outcome: 'promoted',
      reason: 'B is better',
      decided_by: 'system',
    });
    const plot = page.locator('[data-testid="score-plot"][data-component="calculator"]');
    const mark = plot.locator('[data-testid="score-mark"][data-kind="promoted"]');
    await mark.waitFor({ timeout: 30_000 });
    expect(await mark.getAttribute('aria-label')).toMatch(
      /^bbbbbbbbbbbb promoted on .+, held-out score 0\.800: open its experiment$/,
    );
    expect(await plot.locator('figcaption').textContent()).toContain('now bbbbbbbbbbbb · held-out score 0.800');

    await saveProposal(
      mongo.db,
      'trends-pred-1',
      {
        component: 'calculator',
        kind: 'failing_cases',
        title: 'calculator fails 3 cases',
        description: 'd',
        expected_improvement: 0.2,
        confidence: 0.7,
        estimated_effort: 1,
        priority: 1,
        executable: true,
      },
      new Date().toISOString(),
    );
    expect(await claimPrediction(mongo.db, 'trends-pred-1', experiment.id)).toBe(true);
    await recordPredictionSettled(mongo.db, 'trends-pred-1', experiment.id, { actualImprovement: 0.3, failure: null });
    const point = page.getByTestId('prediction-point');
    await point.waitFor({ timeout: 30_000 });
    expect(await point.getAttribute('aria-label')).toBe(
      'calculator: calculator fails 3 cases; predicted +0.200, actual +0.300: open its experiment',
    );
    expect(await page.getByTestId('prediction-plot').locator('figcaption').textContent()).toContain('1 of 1 met or beat');
    await screenshot(page, 'trends-evolution');

    // One click (or Enter) away: the mark opens the experiment in its tab.
    await mark.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="experiment-page"][data-experiment-id="trends-exp-1"]').waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  });
});
