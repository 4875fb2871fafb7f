/**
 * A generated tool, prediction to promoted version, in Debian's Chromium against the real stack
 * and a fake OpenAI server that speaks the wire protocol (scripted drafts). Two requests the
 * offline model's tools cannot serve make the "requests no tool serves" prediction; without a
 * model it says what it would need; once a model is set in the console it drafts a tool; a
 * person edits and accepts the suite, then approves; the store has the tool's version current.
 * Then a person's "make a tool that …" from the meta panel, a suite edit the schema refuses,
 * and a rejection. Screenshots go to test-artifacts/.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitUntil } from '../../harness/client';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi';
import { draftReply, REVERSE, REVERSE_CASES, toolCode, UNICODE_CASE, UPPER, UPPER_CASES } from '../support/generatedToolReplies';
import { launchChromium, screenshot, watchPageErrors } from '../../harness/browser';
import { startConsoleStack, type ConsoleStack } from '../../harness/consoleStack';
import { createEvolutionFixture, evolutionConsole, type EvolutionFixture } from './evolutionFixture';

jest.setTimeout(300_000);

let fixture: EvolutionFixture;
let stack: ConsoleStack;
let fake: FakeOpenAi;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];

async function rest<T = any>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.baseUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Sends a chat message and waits until the offline model's answer is complete (its plan is recorded by then). */
async function chat(session: string, content: string) {
  expect((await rest('POST', `/api/chat/${session}/message`, { content })).status).toBe(202);
  await waitUntil(`the answer to "${content}"`, async () => {
    const { body } = await rest<{ messages: { role: string; content: string; status: string }[] }>(
      'GET',
      `/api/chat/${session}/messages`,
    );
    const answers = body.messages.filter((m) => m.role === 'assistant' && m.status !== 'streaming');
    return answers.length === body.messages.filter((m) => m.role === 'user').length;
  });
}

beforeAll(async () => {
  fixture = await createEvolutionFixture('generated-e2e', { shippedSuites: false });
  [stack, browser, fake] = await Promise.all([
    startConsoleStack('generated-e2e', {
      EVOSCOPE_COMPONENTS_DIR: fixture.componentsDir,
      EVOSCOPE_SUITES_DIR: fixture.suitesDir,
    }),
    launchChromium(),
    startFakeOpenAi(),
  ]);
  // Before the console first asks for predictions (which analyses the recent turns).
  const session = (await rest<{ id: string }>('POST', '/api/chat/sessions', { title: 'unserved' })).body.id;
  await chat(session, "what's the weather in Oslo?");
  await chat(session, 'book me a flight to Rome');
  context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  errors = watchPageErrors(page);
  await page.goto(stack.consoleUrl);
  await page.waitForSelector('[data-testid="connection-badge"][data-phase="live"]', { timeout: 30_000 });
}, 240_000);
afterEach(() => fake.assertScriptDone());
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  await fake?.close();
  if (fixture) await rm(fixture.dir, { recursive: true, force: true });
});

const generatedPage = (status: string, timeout = 120_000) =>
  page.waitForSelector(`[data-testid="generated-tool-page"][data-status="${status}"]`, { timeout });
const generationId = async () => (await page.getByTestId('generated-tool-page').getAttribute('data-generation-id'))!;
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

it('prediction → draft → edited and accepted suite → approved: the generated tool is the current version', async () => {
  const ui = evolutionConsole(page);
  await ui.setAutonomy('Assisted');
  const prediction = page.locator('[data-testid="predictions"] [data-prediction-id="pred-planner-unserved_requests"]');
  await prediction.waitFor({ timeout: 60_000 });
  expect(await prediction.textContent()).toContain('2 of 2 recent requests found no tool');
  // No model yet: the prediction and the request form say what they would need.
  await prediction.getByTestId('draft-tool-needs-model').waitFor();
  expect(await page.getByTestId('generated-tools').getByRole('button', { name: 'Draft tool' }).isDisabled()).toBe(true);
  await screenshot(page, 'generated-prediction-needs-model');

  // A person sets the model in the console.
  await page.locator('input[name="base_url"]').fill(fake.baseUrl);
  await page.locator('input[name="model"]').fill('fake-model');
  await page.locator('input[name="api_key"]').fill('sk-test');
  await page.getByRole('button', { name: 'Save' }).click();
  const draftButton = prediction.getByRole('button', { name: 'Draft a tool' });
  await draftButton.waitFor({ timeout: 30_000 });

  const code = toolCode('reverse_text', REVERSE);
  const proposed = REVERSE_CASES;
  fake.enqueue('plain', { content: draftReply(code, proposed) });
  await draftButton.click();
  await generatedPage('awaiting_suite');
  const id = await generationId();
  // The model was asked with the prediction's examples.
  const asked = (fake.requests.at(-1)!.body.messages as { content: string }[])[1].content;
  expect(asked).toContain('weather in Oslo');
  expect(await page.getByTestId('generated-code').textContent()).toBe(code);
  expect(await page.getByTestId('proposed-run').textContent()).toContain('6 of 6 cases pass');
  expect(await page.getByTestId('approve-generated').isDisabled()).toBe(true);
  // It waits for a person, and says so where everything that does is listed.
  await page.locator(`[data-testid="pending-approvals"] [data-generation-id="${id}"]`).waitFor({ timeout: 30_000 });
  await screenshot(page, 'generated-draft-awaiting-suite');

  const edited = [...proposed, UNICODE_CASE];
  await page.getByTestId('suite-editor').fill(JSON.stringify(edited, null, 2));
  await page.getByRole('button', { name: 'Accept edited suite' }).click();
  await generatedPage('awaiting_approval');
  expect(await page.getByTestId('accepted-run').textContent()).toMatch(/accepted by console user, edited.*7 of 7 cases pass/);
  await screenshot(page, 'generated-awaiting-approval');

  await page.getByTestId('approve-generated').click();
  await generatedPage('promoted', 60_000);
  expect(await page.getByTestId('generation-decision').textContent()).toContain('approved at autonomy level assisted');
  await page
    .locator(`[data-testid="generated-tools"] [data-generation-id="${id}"][data-status="promoted"]`)
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'generated-promoted');
  await page.locator(`[data-testid="pending-approvals"] [data-generation-id="${id}"]`).waitFor({ state: 'detached' });

  // The store, not only the page: the decision, the accepted suite, the component's current version and its file.
  const generated = (await rest('GET', `/api/meta/generated-tools/${id}`)).body;
  expect(generated).toMatchObject({
    stage: 'done',
    draft: { name: 'reverse_text', prompted_by: { kind: 'prediction', detail: 'pred-planner-unserved_requests' } },
    acceptance: { accepted_by: 'console user', edited: true, cases: edited },
    decision: { outcome: 'promoted', decided_by: 'console user' },
  });
  const component = (await rest('GET', '/api/meta/components/reverse_text')).body;
  expect(component.current_version).toBe(generated.draft.version);
  expect(component.versions[0].creator.detail).toBe(
    'prediction pred-planner-unserved_requests; suite accepted by console user; promoted by console user',
  );
  expect(await exists(path.join(fixture.componentsDir, 'tools', 'reverse_text.js'))).toBe(true);
  expect(errors).toEqual([]);
});

it('a person\'s "make a tool that …": a suite edit the schema refuses is shown in place; the draft is rejected and nothing is written', async () => {
  fake.enqueue('plain', {
    content: draftReply(toolCode('upper_text', UPPER), UPPER_CASES),
  });
  await page.locator('textarea[name="tool_request"]').fill('make a tool that upper-cases a text');
  await page.getByTestId('generated-tools').getByRole('button', { name: 'Draft tool' }).click();
  await generatedPage('awaiting_suite');
  const id = await generationId();
  expect((fake.requests.at(-1)!.body.messages as { content: string }[])[1].content).toBe('Write a tool that upper-cases a text');

  await page.getByTestId('suite-editor').fill('[{ "id": "bad id!", "input": {}, "expect": { "equals": 1 } }]');
  expect(await page.getByTestId('suite-error').textContent()).toMatch(/^case 1: id: /);
  expect(await page.getByTestId('accept-suite').isDisabled()).toBe(true);
  await screenshot(page, 'generated-suite-invalid');
  await page.getByRole('button', { name: 'Undo edits' }).click();
  await page.getByRole('button', { name: 'Accept suite', exact: true }).click();
  await generatedPage('awaiting_approval');
  await page.getByLabel('Reason for the decision').fill('we have one');
  await page.getByTestId('reject-generated').click();
  await generatedPage('rejected', 60_000);

  const generated = (await rest('GET', `/api/meta/generated-tools/${id}`)).body;
  expect(generated.acceptance).toMatchObject({ accepted_by: 'console user', edited: false });
  expect(generated.decision).toMatchObject({ outcome: 'rejected', decided_by: 'console user', reason: 'we have one' });
  expect((await rest('GET', '/api/meta/components/upper_text')).status).toBe(404);
  expect(await exists(path.join(fixture.componentsDir, 'tools', 'upper_text.js'))).toBe(false);
  expect(errors).toEqual([]);
});
