import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { api, waitUntil } from '../../harness/client';
import { startPromotingStack } from '../support/componentFolders';
import type { TestStack } from '../../harness/stack';
import { evolveWorkflowId, type EvolveComponentResult } from '../../domain/evolution';
import { ladderComponent, ladderSuite } from '../support/tunableComponent';

/**
 * Two evolutions of one component at once, on the real stack (Temporal dev server, FerretDB,
 * isolated-vm): each promotion must beat the version it replaced, and exactly one promotion may
 * leave each base. The `ladder` component has three versions (reach 1 < 2 < 3, each a graded gain);
 * from reach 1, one evolution tests reach 2 and the other reach 3, at full autonomy.
 */
let stack: TestStack;
let dir: string;
let ladderFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-conflicts-'));
  const componentsDir = path.join(dir, 'components');
  const suitesDir = path.join(dir, 'suites');
  await mkdir(path.join(componentsDir, 'tools'), { recursive: true });
  await mkdir(suitesDir);
  ladderFile = path.join(componentsDir, 'tools', 'ladder.js');
  await writeFile(ladderFile, ladderComponent(1));
  await writeFile(path.join(suitesDir, 'ladder.json'), JSON.stringify(ladderSuite()));
  stack = await startPromotingStack('conflicts', { componentsDir, suitesDir });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});
jest.setTimeout(600_000);

const ladder = async () => (await api(stack, 'GET', '/api/meta/components/ladder')).body;
const experiment = async (id: string) => (await api(stack, 'GET', `/api/sandbox/experiments/${id}`)).body;

/** Writes the file with `reach` and waits for the watcher to make it the current version. */
async function versionWithReach(reach: number): Promise<string> {
  const before = (await waitUntil('the ladder component', async () => ((await ladder())?.current_version ? ladder() : null)))
    .current_version;
  await writeFile(ladderFile, ladderComponent(reach));
  return waitUntil(`the version with reach ${reach}`, async () => {
    const c = await ladder();
    return c.current_version !== before ? c.current_version : null;
  });
}

test('two evolutions decide at once: one promotion per base, each beat the version it replaced, the later one re-tested', async () => {
  const v1 = (await waitUntil('the ladder component', async () => (await ladder())?.current_version)) as string;
  const v2 = await versionWithReach(2);
  const v3 = await versionWithReach(3);
  expect((await api(stack, 'POST', `/api/meta/components/ladder/rollback/${v1}`, { by: 'tester' })).status).toBe(200);
  const changesBefore = (await ladder()).changes.length;

  const started = await Promise.all(
    [v2, v3].map((b) => api(stack, 'POST', '/api/sandbox/experiments', { component: 'ladder', version_b: b })),
  );
  expect(started.map((r) => r.status)).toEqual([202, 202]);
  const results = await Promise.all(
    started.map(
      (r) => stack.temporal.workflow.getHandle(evolveWorkflowId(r.body.experiment_id)).result() as Promise<EvolveComponentResult>,
    ),
  );

  const history = await ladder();
  expect(history.current_version).toBe(v3);
  const promotions = history.changes.slice(changesBefore).filter((c: any) => c.kind === 'promote');
  // Exactly one promotion per base...
  expect(promotions.length).toBeGreaterThanOrEqual(1);
  expect(new Set(promotions.map((p: any) => p.from_version)).size).toBe(promotions.length);
  expect(promotions[0].from_version).toBe(v1);
  expect(promotions.at(-1).to_version).toBe(v3);
  // ...and each won an experiment whose A was the version it replaced.
  for (const p of promotions) {
    const e = await experiment(p.experiment_id);
    expect({ a: e.version_a, b: e.version_b, verdict: e.conclusion.verdict, outcome: e.decision.outcome }).toEqual({
      a: p.from_version,
      b: p.to_version,
      verdict: 'b_better',
      outcome: 'promoted',
    });
  }
  // The other evolution saw the base move: superseded (the reason says so), then re-tested against the new current version.
  const superseded = await Promise.all(started.map((r) => experiment(r.body.experiment_id)));
  const moved = superseded.filter((e) => e.decision.reason.startsWith('superseded'));
  expect(moved).toHaveLength(1);
  expect(moved[0].status).toBe('completed');
  const retest = await experiment(`${moved[0].id}.retest-1`);
  expect(retest.version_a).toBe(promotions[0].to_version);
  expect(retest.version_b).toBe(moved[0].version_b);
  const outcomes = results.map((r) => r.outcome).sort();
  // v3 first: the re-test of v2 against v3 loses. v2 first: the re-test of v3 against v2 wins.
  expect(outcomes).toEqual(promotions.length === 2 ? ['promoted', 'promoted'] : ['not_promoted', 'promoted']);
  const timeline = (await api(stack, 'GET', '/api/meta/evolution/timeline')).body.timeline.map((e: any) => e.data);
  expect(timeline.filter((d: any) => d.type === 'experiment_decided' && d.reason.startsWith('superseded'))).toHaveLength(1);
});
