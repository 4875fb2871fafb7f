import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusHash, loadPinnedCorpus } from './efficacy/pinned';
import { modelOperatorFigures } from './efficacy/modelOperator';
import { offlineScenario, type LoopOptions } from './efficacy/offlineLoop';
import { sandboxThroughput } from './efficacy/sandboxThroughput';
import { loadSubject, SUBJECTS, type Subject } from './efficacy/subjects';
import { tunableDefaults } from '../evolution/tunableMutation';

/**
 * Evolution efficacy: for the docs retriever, the intent analyser (agent) and the planner (chain),
 * N generations of the offline operator from the shipped defaults and from a detuned start, with
 * the selection, A/B verdict and promotion functions the workflows use (bench/efficacy/). A
 * question set per component that the loop never sees (datasets/bench/) measures before →
 * after and checks every promotion against its parent. Everything is pinned under datasets/.
 * Plus sandbox throughput. Written to bench/evolution-results.json; the machine is shared, so the
 * load average is recorded with the figures.
 */
const RESULTS_FILE = path.join(__dirname, 'evolution-results.json');

export interface EvolutionBenchOptions extends Partial<LoopOptions> {
  /** Components to evolve (default: all of SUBJECTS). */
  components?: string[];
  /** Rewrite attempts per component by the local model (0: leave the model operator out). */
  modelAttempts?: number;
  /** Tokens the local model may write per rewrite. */
  modelMaxTokens?: number;
  /** Wall-clock budget of all model rewrites together, in seconds. */
  modelBudgetSeconds?: number;
  write?: boolean;
}

async function offlineFigures(subject: Subject, loop: LoopOptions) {
  const scenarios = [
    await offlineScenario(subject, 'shipped defaults', tunableDefaults(subject.tunables), loop),
    await offlineScenario(subject, 'detuned start', subject.detuned.params, loop),
  ];
  return {
    measures: subject.measures,
    detuned_start: subject.detuned.why,
    suite_sha256: subject.suite.hash,
    suite_train_cases: subject.train.length,
    suite_holdout_cases: subject.holdout.length,
    bench_set: `datasets/bench/${subject.benchSet.name}`,
    bench_set_sha256: subject.benchSet.hash,
    bench_heldout_cases: subject.benchSet.cases.length,
    scenarios,
  };
}

export async function runEvolutionBench(options: EvolutionBenchOptions = {}) {
  const loop: LoopOptions = {
    generations: options.generations ?? 8,
    candidates: options.candidates ?? 8,
    seed: options.seed ?? 20261126,
  };
  const loadAtStart = os.loadavg()[0];
  const corpus = await loadPinnedCorpus();
  const specs = SUBJECTS.filter((s) => !options.components || options.components.includes(s.component));
  const subjects = await Promise.all(specs.map((spec) => loadSubject(spec, corpus)));
  const offline: Record<string, Awaited<ReturnType<typeof offlineFigures>>> = {};
  for (const subject of subjects) offline[subject.component] = await offlineFigures(subject, loop);
  const attempts = options.modelAttempts ?? 2;
  const modelOperator =
    attempts > 0
      ? await modelOperatorFigures(subjects, {
          attempts,
          budgetMs: (options.modelBudgetSeconds ?? 360) * 1000,
          maxTokens: options.modelMaxTokens ?? 512,
          context: 8192,
          seed: loop.seed,
        })
      : { started: false as const, reason: 'left out (--model-attempts=0)' };
  const results = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, load_average_1m: { at_start: loadAtStart, at_end: os.loadavg()[0] } },
    offline_operator: { ...loop, corpus: { dir: 'datasets/corpus', files: corpus.length, sha256: corpusHash(corpus) } },
    components: offline,
    promoted_worse_than_parent_on_heldout: Object.values(offline)
      .flatMap((c) => c.scenarios)
      .reduce((n, s) => n + s.promoted_worse_than_parent_on_heldout, 0),
    local_model_operator: modelOperator,
    sandbox: await sandboxThroughput(),
  };
  if (options.write !== false) writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

/** The figures without the per-generation and per-attempt logs (for bench/results.json). */
export function evolutionSummary(results: Awaited<ReturnType<typeof runEvolutionBench>>) {
  const model = results.local_model_operator;
  return {
    ...results,
    components: Object.fromEntries(
      Object.entries(results.components).map(([name, c]) => [
        name,
        { ...c, scenarios: c.scenarios.map(({ generations_log: _log, ...s }) => s) },
      ]),
    ),
    local_model_operator: model.started
      ? {
          ...model,
          components: Object.fromEntries(Object.entries(model.components).map(([name, { attempts: _a, ...c }]) => [name, c])),
        }
      : model,
  };
}

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

if (require.main === module) {
  runEvolutionBench({
    generations: flag('generations') ? Number(flag('generations')) : undefined,
    candidates: flag('candidates') ? Number(flag('candidates')) : undefined,
    components: flag('components')?.split(','),
    modelAttempts: flag('model-attempts') ? Number(flag('model-attempts')) : undefined,
    modelMaxTokens: flag('model-max-tokens') ? Number(flag('model-max-tokens')) : undefined,
    modelBudgetSeconds: flag('model-budget-seconds') ? Number(flag('model-budget-seconds')) : undefined,
  }).then(
    (r) => console.log(JSON.stringify(evolutionSummary(r), null, 2)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
