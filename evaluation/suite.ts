import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repeatedCaseId, SuiteFile, type Expectation } from '../domain/suite';
import type { SandboxResult } from '../sandbox/contract';

/**
 * Test suites and their evaluator. They live outside `components/`, which is the only
 * folder evolution writes: a candidate can never edit the tests it is judged by. Each
 * run records the sha256 of the suite file it used.
 */
export interface LoadedSuite extends SuiteFile {
  name: string;
  hash: string;
}

export async function loadSuite(dir: string, component: string): Promise<LoadedSuite | null> {
  const file = path.join(dir, `${component}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const suite = SuiteFile.parse(JSON.parse(text));
  if (suite.component !== component) throw new Error(`${file} is the suite of ${suite.component}, not ${component}`);
  const repeated = repeatedCaseId(suite.cases);
  if (repeated !== null) throw new Error(`${file}: case id ${repeated} is used twice`);
  return { ...suite, name: `${component}.json`, hash: createHash('sha256').update(text).digest('hex') };
}

export interface CaseScore {
  score: number;
  passed: boolean;
  failure: string | null;
}

/** The value at a dotted path; the empty path is the whole output (a taught answer check reads it all). */
const at = (value: unknown, dotted: string) =>
  dotted === ''
    ? value
    : dotted
        .split('.')
        .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** Scores one sandbox result against its expectation, in [0, 1]. */
export function scoreCase(expect: Expectation, result: SandboxResult): CaseScore {
  if ('error_matches' in expect) {
    if (result.ok)
      return { score: 0, passed: false, failure: `expected an error matching /${expect.error_matches}/, got a result` };
    const ok = new RegExp(expect.error_matches).test(result.error);
    return {
      score: ok ? 1 : 0,
      passed: ok,
      failure: ok ? null : `error "${result.error}" does not match /${expect.error_matches}/`,
    };
  }
  if (!result.ok) return { score: 0, passed: false, failure: `${result.failure}: ${result.error}` };
  const out = result.output;
  if ('equals' in expect) {
    const ok = deepEqual(out, expect.equals);
    return {
      score: ok ? 1 : 0,
      passed: ok,
      failure: ok ? null : `expected ${JSON.stringify(expect.equals)}, got ${JSON.stringify(out)?.slice(0, 200)}`,
    };
  }
  if ('subset' in expect || 'fields' in expect) {
    const expected = Object.entries('subset' in expect ? expect.subset : expect.fields);
    const wrong = expected.filter(([k, v]) => !deepEqual(at(out, k), v)).map(([k]) => k);
    const graded = 'fields' in expect ? 1 - wrong.length / Math.max(1, expected.length) : wrong.length ? 0 : 1;
    return { score: graded, passed: !wrong.length, failure: wrong.length ? `fields differ: ${wrong.join(', ')}` : null };
  }
  if ('matches' in expect) {
    const got = at(out, expect.path);
    const ok = got !== undefined && new RegExp(expect.matches).test(typeof got === 'string' ? got : JSON.stringify(got));
    return {
      score: ok ? 1 : 0,
      passed: ok,
      failure: ok ? null : `${expect.path}: ${JSON.stringify(got)?.slice(0, 200)} does not match /${expect.matches}/`,
    };
  }
  if ('approx' in expect) {
    const got = at(out, expect.path);
    const ok = typeof got === 'number' && Math.abs(got - expect.approx) <= expect.tolerance;
    return {
      score: ok ? 1 : 0,
      passed: ok,
      failure: ok ? null : `${expect.path}: expected ${expect.approx} ± ${expect.tolerance}, got ${JSON.stringify(got)}`,
    };
  }
  const results = (at(out, 'results') as { path?: string; heading?: string }[] | undefined) ?? [];
  const rank =
    results.findIndex((r) => r.path === expect.retrieves && (expect.heading === undefined || r.heading === expect.heading)) + 1;
  if (rank === 0)
    return {
      score: 0,
      passed: false,
      failure: `${expect.retrieves}${expect.heading ? ` § ${expect.heading}` : ''} not among ${results.length} results`,
    };
  return {
    score: 1 / rank,
    passed: rank <= expect.within,
    failure: rank <= expect.within ? null : `found at rank ${rank}, wanted ≤ ${expect.within}`,
  };
}
