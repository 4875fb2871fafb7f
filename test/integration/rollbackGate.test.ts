import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Conclusion } from '../../domain/evolution';
import { codeHashOf, versionOfCode, type LoadedComponent } from '../../registry/registry';
import { versionDocOf } from '../../registry/versionControl';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { insertExperimentOnce, insertVersionOnce } from '../../store/evolutionStore';
import { api } from '../../harness/client';
import { conclusionFor } from '../support/evolutionFixtures';
import { startTestStack, TestStack } from '../../harness/stack';
import { tunableComponent } from '../support/tunableComponent';

/**
 * A person's rollback passes the gate a promotion does (issue 16): a version that was current
 * before may always come back; a candidate that lost, or failed a must-pass case, never becomes
 * current; one the rules leave to a person needs the person's reason, which the change records.
 * Candidates and their experiments are stored directly (as an evolution would have left them),
 * so no experiment has to run.
 */
let stack: TestStack;
let dir: string;
const file = () => path.join(dir, 'components', 'tools', 'scaler.js');
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-rollback-gate-'));
  await mkdir(path.join(dir, 'components', 'tools'), { recursive: true });
  await mkdir(path.join(dir, 'suites'));
  await writeFile(file(), tunableComponent('scaler', 1));
  stack = await startTestStack('rollback_gate', {
    EVOSCOPE_COMPONENTS_DIR: path.join(dir, 'components'),
    EVOSCOPE_SUITES_DIR: path.join(dir, 'suites'),
  });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});
jest.setTimeout(120_000);

const SEEDED = versionOfCode(tunableComponent('scaler', 1));
const component = async () => (await api(stack, 'GET', '/api/meta/components/scaler')).body;
const rollback = (version: string, body?: object) => api(stack, 'POST', `/api/meta/components/scaler/rollback/${version}`, body);

/** Candidate `n` of scaler, judged by an experiment with `conclusion` if given. */
async function candidate(n: number, conclusion: Conclusion | null): Promise<string> {
  const code = tunableComponent('scaler', 2).replace('Multiplies', `Multiplies (candidate ${n})`);
  const loaded: LoadedComponent = {
    name: 'scaler',
    manifest: await readComponentManifest(code),
    code,
    code_hash: codeHashOf(code),
    version: versionOfCode(code),
    file_path: 'tools/scaler.js',
  };
  const by = { kind: 'experiment' as const, detail: 'offline operator' };
  await insertVersionOnce(stack.mongo.db, versionDocOf(loaded, [SEEDED], by, 'candidate', ['scaler']));
  if (conclusion) {
    const now = new Date().toISOString();
    await insertExperimentOnce(stack.mongo.db, {
      _id: `exp-${loaded.version}`,
      id: `exp-${loaded.version}`,
      component: 'scaler',
      version_a: SEEDED,
      version_b: loaded.version,
      goal: null,
      test_suite: null,
      repetitions: 1,
      status: 'completed',
      results_a: null,
      results_b: null,
      conclusion: { ...conclusion, winner: conclusion.verdict === 'b_better' ? loaded.version : conclusion.winner },
      decision: null,
      rolled_back: null,
      workflow_id: `wf-${loaded.version}`,
      prediction_id: null,
      created_at: now,
      updated_at: now,
    });
  }
  return loaded.version;
}

test('a candidate that lost, or failed a must-pass case, is refused whoever asks and whatever the reason', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
  const lost = await candidate(2, conclusionFor('a_better'));
  const mustPassFailed = await candidate(3, { ...conclusionFor('b_better'), must_pass_failed: ['scaler:x1'] });
  for (const [version, why] of [
    [lost, 'the candidate lost'],
    [mustPassFailed, 'must-pass cases failed: scaler:x1'],
  ]) {
    const refused = await rollback(version, { by: 'mallory', reason: 'I insist' });
    expect([refused.status, refused.body.error]).toEqual([409, 'ROLLBACK_REFUSED']);
    expect(refused.body.message).toContain(`${version} cannot be made current: ${why}`);
  }
  expect((await component()).current_version).toBe(SEEDED);
  expect(await readFile(file(), 'utf8')).toBe(tunableComponent('scaler', 1));
});

test('a winner the rules leave to a person, or one never judged, needs the person’s reason, which is recorded', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'manual' });
  const winner = await candidate(4, conclusionFor('b_better'));
  const unjudged = await candidate(5, null);
  const withoutReason = await Promise.all([rollback(winner, { by: 'ada' }), rollback(unjudged)]);
  expect(withoutReason.map((r) => [r.status, r.body.error])).toEqual([
    [400, 'REASON_REQUIRED'],
    [400, 'REASON_REQUIRED'],
  ]);
  expect(withoutReason[0].body.message).toBe(`autonomy level manual: a person decides: give a reason to make ${winner} current`);
  expect(withoutReason[1].body.message).toBe(`${unjudged} never won an experiment: give a reason to make ${unjudged} current`);
  expect((await component()).current_version).toBe(SEEDED);

  const gql = await api(stack, 'POST', '/graphql', {
    query: 'mutation ($v: String!) { rollback_component(id: "scaler", version: $v) { current_version } }',
    variables: { v: winner },
  });
  expect(gql.body.errors[0]).toMatchObject({ extensions: { code: 'REASON_REQUIRED' } });

  const allowed = await rollback(winner, { by: 'ada', reason: 'the winner, approved by hand' });
  expect(allowed.status).toBe(200);
  expect(allowed.body.component.current_version).toBe(winner);
  expect((await component()).changes.at(-1)).toMatchObject({
    kind: 'rollback',
    to_version: winner,
    by: { kind: 'rollback', detail: 'ada' },
    reason: 'the winner, approved by hand (autonomy level manual: a person decides; made current by a person)',
  });

  // The seeded version was current before: it may always come back, without a reason.
  const back = await rollback(SEEDED);
  expect([back.status, back.body.component.current_version]).toEqual([200, SEEDED]);
  expect(await readFile(file(), 'utf8')).toBe(tunableComponent('scaler', 1));
});

test('at full autonomy a significant winner comes back like a promotion, without a reason', async () => {
  await api(stack, 'POST', '/api/system/autonomy/level', { level: 'full' });
  const winner = await candidate(6, conclusionFor('b_better'));
  const allowed = await rollback(winner, { by: 'ada' });
  expect([allowed.status, allowed.body.component.current_version]).toEqual([200, winner]);
  expect((await component()).changes.at(-1).reason).toMatch(
    /^rolled back to \w+ by ada \(significant winner at autonomy level full/,
  );
});
