/**
 * The loop, end to end, in Chromium against the real stack with (a copy of) the shipped
 * components and suites, offline: the analyser does not know the operator word "into" ("what is 6 into 9"). People
 * taught it (15 answers stored as the teaching service stores them, so the held-out split is
 * known, and one more marked wrong in the console); the prediction "intent_analyser: N taught
 * cases fail" is executed at full autonomy; the offline operator induces `"into" means *` from
 * the failing training cases and what their teachers said the answer is; the held-out lessons
 * judge it and the rules promote it; then the taught request and one nobody taught are
 * answered right. A lesson the held-out split contradicts ("less" is arithmetic to some
 * teachers, not to the held-out ones) is refused.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { connectMongo, type Mongo } from '../../store/mongo';
import { taughtSplitOf } from '../../evolution/taughtLessons';
import { markNumbers, storeTaughtAnswer, taughtIdOf } from '../support/taughtAnswers';
import { waitUntil } from '../../harness/client';
import { ARTIFACTS_DIR, launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';
import { newSession, send } from './consolePage';
import { createEvolutionFixture, evolutionConsole, type EvolutionFixture } from './evolutionFixture';

jest.setTimeout(900_000);

const ANALYSER = 'intent_analyser';
const PREDICTION = `pred-${ANALYSER}-taught_cases_fail`;

let fixture: EvolutionFixture;
let stack: ConsoleStack;
let mongo: Mongo;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];

const rest = async (method: string, path: string): Promise<any> => {
  const res = await fetch(`${stack.baseUrl}/api${path}`, { method, headers: { authorization: `Bearer ${stack.token}` } });
  return res.json();
};

const currentAnalyser = async () => (await rest('GET', `/meta/components/${ANALYSER}`)).current_version as string;
/** How the experiment's candidate was made, in words (its version's provenance). */
const candidateDetail = async (experiment: { version_b: string }): Promise<string> =>
  (await rest('GET', `/meta/components/${ANALYSER}/versions/${experiment.version_b}`)).created_by;

/** The closing note's figures: each experiment's verdict and the taught held-out lessons A and B passed. */
const figures: Record<string, unknown>[] = [];
function recordFigures(lesson: string, experiment: any) {
  const taughtHeldOut = (results: { cases: { case_id: string; holdout: boolean; passed: boolean }[] }) =>
    results.cases.filter((c) => c.holdout && c.case_id.startsWith('taught-'));
  const [a, b] = [taughtHeldOut(experiment.results_a), taughtHeldOut(experiment.results_b)];
  figures.push({
    lesson,
    verdict: experiment.conclusion.verdict,
    summary: experiment.conclusion.summary,
    outcome: experiment.decision.outcome,
    taught_held_out: a.length,
    passed_by_parent: a.filter((c) => c.passed).length,
    passed_by_candidate: b.filter((c) => c.passed).length,
  });
}

/** A lesson on "what is a <word> b": by default, the calculator and the answer. */
function operatorLesson(n: number, word: string, a: number, b: number, answer: number, tools = ['calculator']) {
  const request = `what is ${a} ${word} ${b}`;
  return storeTaughtAnswer(mongo.db, {
    n,
    component: ANALYSER,
    request,
    lesson: `chose no tool; expected ${tools[0] ?? 'no tool'}`,
    input: { content: request },
    expect: { subset: { tools } },
    expected_tool: tools[0] ?? null,
    key_content: tools.length ? String(answer) : null,
  });
}

beforeAll(async () => {
  // A copy of the shipped components and suites: a promotion rewrites the component's file.
  fixture = await createEvolutionFixture('loop-e2e', { shippedSuites: true });
  [stack, browser] = await Promise.all([
    startConsoleStack('loop-e2e', { EVOSCOPE_COMPONENTS_DIR: fixture.componentsDir, EVOSCOPE_SUITES_DIR: fixture.suitesDir }),
    launchChromium(),
  ]);
  mongo = await connectMongo(process.env.MONGODB_URL!, stack.dbName);
  await stack.graphql('mutation { update_change_rules(rules: { watch_window_minutes: 0 }) }');
  context = await browser.newContext({ viewport: { width: 1600, height: 940 } });
  page = await context.newPage();
  errors = watchPageErrors(page);
  await page.goto(stack.consoleUrl);
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await mongo?.client.close();
  await stack?.stop();
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await writeFile(path.join(ARTIFACTS_DIR, 'teach-loop-figures.json'), JSON.stringify(figures, null, 2));
  if (fixture) await rm(fixture.dir, { recursive: true, force: true });
});

async function answerTo(request: string): Promise<string> {
  const before = await page.locator('.message.role-assistant[data-status="complete"]').count();
  await send(page, request);
  await page.waitForFunction(
    (n) => document.querySelectorAll('.message.role-assistant[data-status="complete"]').length > n,
    before,
    { timeout: 60_000 },
  );
  return (await page.locator('.message.role-assistant[data-status="complete"] .message-content').last().textContent()) ?? '';
}

/** Executes the taught-cases prediction from the predictions panel and waits for the experiment's decision. */
async function executeTaughtPrediction(): Promise<any> {
  // Open once the last evolution is done and the lessons fail (recomputed on request: lessons
  // stored straight into the store announce nothing); the console follows.
  const opened = await waitUntil(
    'the taught-cases prediction open',
    async () =>
      (await rest('GET', '/system/predictions')).predictions.find((p: any) => p.id === PREDICTION && p.status === 'open'),
    120_000,
  );
  const prediction = page.locator(`[data-testid="predictions"] [data-prediction-id="${PREDICTION}"]`);
  await prediction.waitFor({ timeout: 120_000 });
  const title = (await prediction.textContent()) ?? '';
  expect(title).toMatch(/intent_analyser: \d+ taught cases? fails?/);
  await prediction.getByRole('button', { name: 'Execute' }).click({ timeout: 60_000 });
  const experimentId = await waitUntil('the prediction carried out by a new experiment', async () => {
    const p = (await rest('GET', '/system/predictions')).predictions.find((q: any) => q.id === PREDICTION);
    return p?.experiment_id && p.experiment_id !== opened.experiment_id ? (p.experiment_id as string) : null;
  });
  await page.locator(`[data-testid="experiment-page"][data-experiment-id="${experimentId}"]`).waitFor({ timeout: 30_000 });
  return waitUntil(
    'the experiment decided',
    async () => {
      const e = await rest('GET', `/sandbox/experiments/${experimentId}`);
      return e?.decision && e.decision.outcome !== 'pending' ? e : null;
    },
    600_000,
  );
}

it('teach "into" → prediction → execute at full → promoted → the taught request and an untaught one are answered right', async () => {
  // Sixteen answers people taught (ten for training, six held out): "a into b" is a times b.
  const marks = markNumbers(ANALYSER, 0, { train: 10, heldOut: 6 });
  const taught = await Promise.all(marks.map((n, i) => operatorLesson(n, 'into', 2 + (i % 5), 3 + i, (2 + (i % 5)) * (3 + i))));
  expect(taught.filter((t) => t.split === 'held_out')).toHaveLength(6);

  const ui = evolutionConsole(page);
  await newSession(page);
  const wrong = await answerTo('what is 6 into 9');
  expect(wrong).not.toContain('54');

  // One more through the console: marked wrong, the calculator and "54" expected.
  const answer = page.locator('.message.role-assistant[data-status="complete"]').last();
  await answer.getByTestId('mark-wrong').click();
  const form = answer.getByTestId('expectation-form');
  await form.locator('select option[value="calculator"]').waitFor({ state: 'attached' });
  await form.locator('select').selectOption('calculator');
  await form.getByPlaceholder('e.g. 54').fill('54');
  await form.getByRole('button', { name: 'Teach' }).click();
  await answer.getByTestId('feedback-done').waitFor();
  expect(await answer.getByTestId('feedback-done').textContent()).toMatch(/^Taught: intent_analyser \((train|held-out)\)$/);
  await page.locator('[data-testid="taught-cases"] .taught-case', { hasText: 'what is 6 into 9' }).waitFor({ timeout: 30_000 });

  const before = await currentAnalyser();
  await ui.setAutonomy('Full');
  const experiment = await executeTaughtPrediction();
  expect(await candidateDetail(experiment)).toContain('"into" means *');
  recordFigures('into', experiment);
  expect(experiment.conclusion).toMatchObject({ verdict: 'b_better' });
  expect(experiment.decision.outcome).toBe('promoted');
  await screenshot(page, 'loop-promoted');
  expect(await currentAnalyser()).toBe(experiment.version_b);
  expect(experiment.version_b).not.toBe(before);

  // The next try: the taught request, and one nobody taught.
  await newSession(page);
  expect(await answerTo('what is 6 into 9')).toContain('54');
  expect(await answerTo('what is 7 into 8')).toContain('56');
  await screenshot(page, 'loop-answered');
  expect(errors).toEqual([]);
});

it('a lesson the held-out split contradicts is refused: the analyser stays as it is', async () => {
  // "a less b": the training lessons say a - b, the held-out ones say it is no sum at all.
  const lessons = [];
  for (const n of markNumbers(ANALYSER, 1000, { train: 10, heldOut: 6 })) {
    const [a, b] = [20 + (n % 13), 1 + (n % 7)];
    const heldOut = taughtSplitOf(taughtIdOf(n, ANALYSER)) === 'held_out';
    lessons.push(await operatorLesson(n, 'less', a, b, a - b, heldOut ? [] : ['calculator']));
  }
  expect(lessons.filter((l) => l.split === 'held_out')).toHaveLength(6);
  const before = await currentAnalyser();
  const experiment = await executeTaughtPrediction();
  expect(await candidateDetail(experiment)).toContain('"less" means -');
  recordFigures('less (contradicted)', experiment);
  expect(experiment.conclusion).toMatchObject({ verdict: 'a_better' });
  expect(experiment.decision.outcome).not.toBe('promoted');
  expect(await currentAnalyser()).toBe(before);
  await screenshot(page, 'loop-refused');
});
