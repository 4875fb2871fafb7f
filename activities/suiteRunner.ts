import { Context } from '@temporalio/activity';
import type { CaseResult, SuiteRun } from '../domain/evolution';
import { mean } from '../evolution/statistics';
import { summariseSuiteRun } from '../evolution/suiteSummary';
import type { SuiteCase } from '../domain/suite';
import type { LoadedSuite } from '../evaluation/suite';
import { scoreCase } from '../evaluation/suite';
import type { CorpusDocument } from '../registry/corpus';
import { runInSandbox } from '../sandbox/runInSandbox';
import { observeSandboxCall } from '../metrics/workerMetrics';

export interface SuiteRunOptions {
  code: string;
  component: string;
  version: string;
  suite: LoadedSuite;
  cases: SuiteCase[];
  repetitions: number;
  corpus: CorpusDocument[];
  /** Called after each case (events, heartbeats). */
  onCase?: (result: CaseResult, index: number, total: number) => Promise<void>;
}

const heartbeat = (details: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    /* outside an activity (bench, tests) */
  }
};

/**
 * Every case, `repetitions` times, each run in a fresh isolate with the sandbox's limits:
 * a hostile or runaway candidate fails its case and nothing else.
 */
export async function runSuiteCases(o: SuiteRunOptions): Promise<SuiteRun> {
  const results: CaseResult[] = [];
  for (const [index, c] of o.cases.entries()) {
    const scores: number[] = [];
    const latencies: number[] = [];
    let errors = 0;
    let failure: string | null = null;
    let passedAll = true;
    for (let rep = 0; rep < o.repetitions; rep++) {
      const input = o.suite.with_corpus && c.input && typeof c.input === 'object' ? { ...c.input, documents: o.corpus } : c.input;
      const result = await runInSandbox({ code: o.code, input });
      observeSandboxCall('suite', result);
      const scored = scoreCase(c.expect, result);
      scores.push(scored.score);
      latencies.push(result.durationMs);
      if (!result.ok && !('error_matches' in c.expect)) errors++;
      if (!scored.passed) {
        passedAll = false;
        failure ??= scored.failure;
      }
    }
    const caseResult: CaseResult = {
      case_id: c.id,
      holdout: c.holdout,
      scores,
      mean_score: mean(scores),
      passed: passedAll,
      latencies_ms: latencies,
      errors,
      failure,
    };
    results.push(caseResult);
    heartbeat({ case: index + 1, of: o.cases.length });
    await o.onCase?.(caseResult, index, o.cases.length);
  }
  return {
    component: o.component,
    version: o.version,
    suite: o.suite.name,
    suite_hash: o.suite.hash,
    repetitions: o.repetitions,
    cases: results,
    summary: summariseSuiteRun(o.suite, results, new Date().toISOString()),
  };
}
