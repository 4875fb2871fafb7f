/**
 * The evolution views in Debian's Chromium against the real stack, over the evolution fixture
 * (a temporary copy of components/ plus `scaler` and `amplifier`, whose default factor is
 * deliberately wrong, so the offline operator has a real winner to find).
 * Screenshots go to test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from '../../harness/browser';
import type { ConsoleStack } from '../../harness/consoleStack';
import { useEvolutionConsole, type EvolutionConsoleRun, type EvolutionFixture } from './evolutionFixture';

jest.setTimeout(300_000);

const run = useEvolutionConsole('evolution-e2e', { shippedSuites: true });
let stack: ConsoleStack;
let page: Page;
let ui: EvolutionConsoleRun['ui'];
let fixture: EvolutionFixture;
beforeAll(() => {
  ({ stack, page, ui, fixture } = run);
});

const versionNode = (component: string, version: string) =>
  page.locator(`.version-node[data-component="${component}"][data-version="${version}"]`);
const currentNode = (component: string) => page.locator(`.version-node[data-component="${component}"][data-current="true"]`);
const toolFile = (name: string) => readFile(path.join(fixture.componentsDir, 'tools', `${name}.js`), 'utf8');
const scalerFile = () => toolFile('scaler');

/** Opens the Sandbox's new-experiment form and chooses the component and versions. */
async function fillExperimentForm(component: string, versions: { a?: string; b?: string }) {
  await ui.openExperimentList();
  const form = page.getByTestId('new-experiment');
  await form.locator('select[name="component"]').selectOption(component);
  if (versions.a) await form.locator('select[name="version_a"]').selectOption(versions.a);
  if (versions.b) await form.locator('select[name="version_b"]').selectOption(versions.b);
  return form;
}

/** Starts an experiment from the Sandbox form (A defaults to the current version, B to a proposal); returns its id once its page is open. */
async function startExperiment(component: string, versions: { a?: string; b?: string } = {}): Promise<string> {
  const form = await fillExperimentForm(component, versions);
  await form.getByTestId('start-experiment').click();
  const experimentPage = page.getByTestId('experiment-page');
  await experimentPage.waitFor({ timeout: 30_000 });
  return (await experimentPage.getAttribute('data-experiment-id'))!;
}

describe('evolution views', () => {
  let seedVersion: string;
  let evolvedVersion: string;

  it('manual: an evolution is run, watched, approved, diffed and rolled back from the browser', async () => {
    await ui.setAutonomy('Manual');
    await ui.tab('evolution');
    await currentNode('scaler').waitFor({ timeout: 30_000 });
    seedVersion = (await currentNode('scaler').getAttribute('data-version'))!;
    expect(await currentNode('scaler').getAttribute('data-outcome')).toBe('seed');

    const id = await startExperiment('scaler');
    // Live progress while the sandbox runs both versions.
    await page.waitForSelector('[data-testid="experiment-progress"] progress, [data-testid="case-table"] tbody tr', {
      timeout: 60_000,
    });
    await page.waitForSelector('[data-testid="case-table"] tbody tr', { timeout: 60_000 });
    await screenshot(page, 'evolution-experiment-running');
    await ui.experimentStatus('awaiting_approval');
    expect(await page.getByTestId('experiment-verdict').textContent()).toMatch(/B \([0-9a-f]{8}\) is better than A/);
    expect(await page.getByTestId('decision-reason').textContent()).toContain('autonomy level manual');
    expect(await page.getByTestId('case-table').locator('tbody tr').count()).toBe(18);
    // The pending count is visible from every tab.
    await ui.pendingCount(1);
    await expect(page.getByTestId('viz-tab-sandbox').locator('.count-badge').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('pending-approvals').textContent()).resolves.toContain('scaler');
    await screenshot(page, 'evolution-experiment');

    await page.getByTestId('approve-button').click();
    await ui.experimentStatus('approved', 30_000);
    expect(await page.getByTestId('approve-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('decision-reason').textContent()).toContain('Already decided: promoted by console user');
    // The badge follows its own live query: wait for it to drop rather than race it.
    await ui.pendingCount(0);
    const experiment = await stack.graphql<{ experiment: { version_b: string } }>(
      'query($id: ID!) { experiment(id: $id) { version_b } }',
      { id },
    );
    evolvedVersion = experiment.experiment.version_b;
    expect(await scalerFile()).toContain('factor: { default: 3,');

    // The evolution graph: the new version is current, the seed is its parent.
    await page.getByRole('button', { name: 'Show in graph' }).click();
    await page.waitForSelector(`.version-node[data-component="scaler"][data-version="${evolvedVersion}"][data-current="true"]`, {
      timeout: 20_000,
    });
    expect(await versionNode('scaler', evolvedVersion).getAttribute('data-outcome')).toBe('promoted');
    expect(await versionNode('scaler', seedVersion).getAttribute('data-current')).toBe('false');
    await page.getByTestId('version-details').waitFor();
    await expect(page.getByTestId('version-decision').textContent()).resolves.toContain('promoted by console user');
    await expect(page.getByTestId('evolution-timeline').textContent()).resolves.toContain('promoted to current');
    await page.waitForTimeout(500);
    await screenshot(page, 'evolution-graph');

    // Two versions selected → the diff viewer.
    await page.getByTestId('version-details').getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.waitForTimeout(400);
    await versionNode('scaler', seedVersion).click();
    await page.waitForTimeout(300);
    await versionNode('scaler', evolvedVersion).click({ modifiers: ['Shift'] });
    await page.getByTestId('compare-bar').getByRole('button', { name: 'Open diff' }).click();
    const diff = page.getByTestId('diff-panel');
    await diff.getByTestId('diff-split').waitFor();
    await expect(diff.getByTestId('diff-summary').textContent()).resolves.toContain('factor: 1 → 3');
    const removed = diff.locator('td.code.op-remove');
    const added = diff.locator('td.code.op-add');
    expect(await removed.first().textContent()).toContain('factor: { default: 1,');
    expect(await added.first().textContent()).toContain('factor: { default: 3,');
    expect(await diff.locator('.tok-keyword').count()).toBeGreaterThan(0);
    await screenshot(page, 'evolution-diff-split');
    await diff.getByRole('button', { name: 'Unified' }).click();
    await diff.getByTestId('diff-unified').waitFor();
    await screenshot(page, 'evolution-diff-unified');

    // Roll back with confirmation: the file and the graph return to the seed.
    await ui.tab('evolution');
    await expect(page.getByTestId('version-details').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.waitForTimeout(400);
    await versionNode('scaler', seedVersion).click();
    await page
      .getByTestId('version-details')
      .getByRole('button', { name: /Roll back to this/ })
      .click();
    const dialog = page.getByRole('dialog', { name: /Roll scaler back/ });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await versionNode('scaler', evolvedVersion).getAttribute('data-current')).toBe('true');
    await page
      .getByTestId('version-details')
      .getByRole('button', { name: /Roll back to this/ })
      .click();
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.waitForSelector(`.version-node[data-component="scaler"][data-version="${seedVersion}"][data-current="true"]`, {
      timeout: 30_000,
    });
    await page.waitForSelector(
      `.version-node[data-component="scaler"][data-version="${evolvedVersion}"][data-outcome="rolled_back"]`,
      { timeout: 10_000 },
    );
    expect(await scalerFile()).toContain('factor: { default: 1,');
    await expect(page.getByTestId('evolution-timeline').textContent()).resolves.toContain('rolled back');
    await screenshot(page, 'evolution-rolled-back');
  });

  it('semi_auto: a critical change waits for a person; a non-critical winner is promoted without one', async () => {
    await ui.setAutonomy('Semi-auto');
    // The change-rules editor validates before it saves.
    const rules = page.getByTestId('change-rules');
    await rules.getByRole('button', { name: /Change rules/ }).click();
    await rules.locator('input[name="min_improvement"]').fill('7');
    await rules.getByRole('alert').waitFor();
    expect(await rules.getByTestId('save-rules').isDisabled()).toBe(true);
    await rules.locator('input[name="min_improvement"]').fill('0.01');
    await rules.locator('input[name="critical_components"]').fill('scaler');
    await rules.getByTestId('save-rules').click();
    await rules.getByText('Saved ✓').waitFor();
    const saved = await stack.graphql<{ change_rules: { critical_components: string[] } }>('{ change_rules }');
    expect(saved.change_rules.critical_components).toEqual(['scaler']);

    // scaler is critical: its winner (the evolved version, tested again) waits.
    await startExperiment('scaler', { b: evolvedVersion });
    await ui.experimentStatus('awaiting_approval');
    expect(await page.getByTestId('decision-reason').textContent()).toContain('scaler is critical at semi_auto');
    await ui.tab('execution');
    await ui.pendingCount(1);
    await ui.tab('sandbox');
    await page.getByTestId('reject-button').click();
    await ui.experimentStatus('rejected', 30_000);
    expect(await scalerFile()).toContain('factor: { default: 1,');

    // amplifier is not critical: the system promotes its winner itself.
    await startExperiment('amplifier');
    await ui.experimentStatus('approved');
    expect(await page.getByTestId('approve-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('decision-reason').textContent()).toContain('promoted by the system at semi_auto');
    await expect(page.getByTestId('experiment-decision').textContent()).resolves.toContain(
      'significant winner at autonomy level semi_auto',
    );
    await screenshot(page, 'evolution-semi-auto-promoted');
    await page.getByRole('button', { name: 'Show in graph' }).click();
    await page.waitForSelector('.version-node[data-component="amplifier"][data-current="true"][data-outcome="promoted"]', {
      timeout: 20_000,
    });
    expect(await toolFile('amplifier')).toContain('factor: { default: 3,');
    await page.waitForTimeout(400);
    await screenshot(page, 'evolution-graph-semi-auto');
    await page.getByTestId('version-details').getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.waitForTimeout(500);
    await screenshot(page, 'evolution-overview');
  });

  it('any two versions: an older A against the current B is compared from the UI and nothing is promoted', async () => {
    const { component } = await stack.graphql<{ component: { current_version: string; versions: { version: string }[] } }>(
      '{ component(id: "amplifier") { current_version versions { version } } }',
    );
    const older = component.versions.find((v) => v.version !== component.current_version)!.version;
    const form = await fillExperimentForm('amplifier', { a: older, b: component.current_version });
    await expect(form.getByTestId('comparison-only').textContent()).resolves.toContain('promotes nothing');
    await form.getByTestId('start-experiment').click();
    await page.getByTestId('experiment-page').waitFor({ timeout: 30_000 });
    await ui.experimentStatus('completed');
    expect(await page.getByTestId('experiment-verdict').textContent()).toMatch(/B \([0-9a-f]{8}\) is better than A/);
    await expect(page.getByTestId('experiment-decision').textContent()).resolves.toContain('comparison only');
    expect(await page.getByTestId('approve-button').isDisabled()).toBe(true);
    const after = await stack.graphql<{ component: { current_version: string } }>(
      '{ component(id: "amplifier") { current_version } }',
    );
    expect(after.component.current_version).toBe(component.current_version);
    await screenshot(page, 'evolution-comparison');
  });

  it('shows predictions and the evolution schedule in the meta panel, and raised no page errors', async () => {
    const predictions = page.getByTestId('predictions');
    await predictions.locator('.prediction').first().waitFor({ timeout: 60_000 });
    expect(await predictions.locator('.priority').first().textContent()).toMatch(/^P\d+$/);
    await expect(page.getByTestId('next-sweep').textContent()).resolves.toContain('Off');
    // The sweep schedule: on with an interval (a Temporal Schedule), then off again.
    const schedule = page.getByTestId('schedule');
    await schedule.getByRole('textbox', { name: 'Interval in minutes' }).fill('45');
    await schedule.getByRole('checkbox').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="next-sweep"]')?.textContent?.includes('Next sweep'));
    expect(
      (
        await stack.graphql<{ evolution_schedule: { enabled: boolean; interval_minutes: number } }>(
          '{ evolution_schedule { enabled interval_minutes } }',
        )
      ).evolution_schedule,
    ).toEqual({ enabled: true, interval_minutes: 45 });
    await screenshot(page, 'evolution-meta-panel');
    await schedule.getByRole('checkbox').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="next-sweep"]')?.textContent?.includes('Off'));
    expect(run.errors).toEqual([]);
  });
});
