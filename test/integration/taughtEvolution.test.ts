import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadComponentSuite } from '../../evaluation/componentSuite';
import { api, waitUntil } from '../../harness/client';
import { storeTaughtAnswer } from '../support/taughtAnswers';
import { startPromotingStack } from '../support/componentFolders';
import type { TestStack } from '../../harness/stack';
import { tunableComponent } from '../support/tunableComponent';

/**
 * Taught cases drive evolution on the real stack: a `scaler` tool with no suite file of its own
 * and a wrong default, taught 30 answers (as stored by the teaching service), gets the
 * prediction "scaler: 30 taught cases fail"; executing it runs the evolution on a suite made of
 * those cases, judged on their held-out split, and the promoted version passes them, so the
 * prediction is not found again.
 */
let stack: TestStack;
let dir: string;
let suitesDir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-taught-'));
  const componentsDir = path.join(dir, 'components');
  suitesDir = path.join(dir, 'suites');
  await mkdir(path.join(componentsDir, 'tools'), { recursive: true });
  await mkdir(suitesDir);
  await writeFile(path.join(componentsDir, 'tools', 'scaler.js'), tunableComponent('scaler', 1));
  stack = await startPromotingStack('taught', { componentsDir, suitesDir });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});
jest.setTimeout(600_000);

const TAUGHT = 30;

/** What the service stores for a wrong mark of a scaler answer: "x times 3 is …". */
const teach = (i: number) =>
  storeTaughtAnswer(stack.mongo.db, {
    n: i,
    component: 'scaler',
    request: `${i + 1} times 3`,
    lesson: `the answer should contain "${(i + 1) * 3}"`,
    input: { x: i + 1 },
    expect: { path: 'result', approx: (i + 1) * 3, tolerance: 1e-9 },
    expected_tool: 'scaler',
    key_content: String((i + 1) * 3),
  });

test('a taught-cases prediction evolves the component on its taught suite, judged on the held-out split', async () => {
  const taught = await Promise.all(Array.from({ length: TAUGHT }, (_, i) => teach(i)));
  const heldOut = taught.filter((c) => c.split === 'held_out').length;
  expect(heldOut).toBeGreaterThanOrEqual(5); // enough for the verdict's permutation test to reach α

  const predictions = (await api(stack, 'GET', '/api/system/predictions')).body.predictions;
  const prediction = predictions.find((p: any) => p.id === 'pred-scaler-taught_cases_fail');
  expect(prediction).toMatchObject({ title: `scaler: ${TAUGHT} taught cases fail`, executable: true, status: 'open' });

  const executed = await api(stack, 'POST', `/api/system/predictions/${prediction.id}/execute`);
  expect(executed.status).toBe(202);
  const experiment = await waitUntil(
    'the experiment decided',
    async () => {
      const e = (await api(stack, 'GET', `/api/sandbox/experiments/${executed.body.experiment_id}`)).body;
      return e?.decision && e.decision.outcome !== 'pending' ? e : null;
    },
    300_000,
  );
  const suite = (await loadComponentSuite(stack.mongo.db, suitesDir, 'scaler'))!;
  expect(experiment.results_b).toMatchObject({ suite: 'scaler.json', suite_hash: suite.hash });
  const split = Object.fromEntries(taught.map((c) => [c.id, c.split === 'held_out']));
  expect(Object.fromEntries(experiment.results_b.cases.map((c: any) => [c.case_id, c.holdout]))).toEqual(split);
  expect(experiment.conclusion).toMatchObject({ verdict: 'b_better', n: heldOut });
  expect(experiment.decision.outcome).toBe('promoted');

  const after = (await api(stack, 'GET', '/api/system/predictions')).body.predictions;
  expect(after.find((p: any) => p.id === prediction.id)).toMatchObject({ status: 'done' });
  expect(after.filter((p: any) => p.kind === 'taught_cases_fail' && p.status === 'open')).toEqual([]);
});
