import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runSuiteCases } from '../../activities/suiteRunner';
import { loadSuite } from '../../evaluation/suite';
import { percentileOf } from '../../evolution/statistics';
import { runInSandbox } from '../../sandbox/runInSandbox';
import { ROOT } from './pinned';

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Sandbox throughput: the calculator suite, 20 rounds, each case in a fresh isolate in one of the
 * sandbox pool's processes (so both figures include the round trip to that process); and the
 * cold start of an isolate running a no-op component.
 */
export async function sandboxThroughput() {
  const calc = (await loadSuite(path.join(ROOT, 'datasets', 'suites'), 'calculator'))!;
  const calcCode = readFileSync(path.join(ROOT, 'components', 'tools', 'calculator.js'), 'utf8');
  const t0 = performance.now();
  const rounds = 20;
  for (let i = 0; i < rounds; i++)
    await runSuiteCases({
      code: calcCode,
      component: 'calculator',
      version: 'bench',
      suite: calc,
      cases: calc.cases,
      repetitions: 1,
      corpus: [],
    });
  const casesPerSecond = (rounds * calc.cases.length) / ((performance.now() - t0) / 1000);
  const cold: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    await runInSandbox({
      code: "var component = { name: 'noop', type: 'tool', description: 'x', input_schema: { type: 'object' }, run: function () { return 1; } };",
      input: {},
    });
    cold.push(performance.now() - s);
  }
  return {
    cases_per_second: round(casesPerSecond),
    cold_isolate_start_ms: { p50: round(percentileOf(cold, 50)), p95: round(percentileOf(cold, 95)), n: cold.length },
  };
}
