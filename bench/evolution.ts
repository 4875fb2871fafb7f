import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runSuiteCases } from '../activities/evolution/suiteRunner';
import { loadDocsCorpus } from '../registry/corpus';
import { DEFAULT_CHANGE_RULES, impossibleVerdict, type Conclusion } from '../domain/evolution';
import { loadSuite, SuiteFile, type LoadedSuite } from '../evaluation/suite';
import { bestMutation } from '../evolution/bestMutation';
import { decidePromotion } from '../evolution/decidePromotion';
import { pairedPermutationTest, percentileOf } from '../evolution/statistics';
import { tunableDefaults, writeTunableDefaults } from '../evolution/tunableMutation';
import { readComponentManifest } from '../sandbox/readComponentManifest';
import { runInSandbox } from '../sandbox/runInSandbox';

/**
 * Evolution efficacy, offline: a fixed number of generations of the offline operator on the
 * docs retriever's tunables (chunking and BM25), each candidate selected on the suite's
 * training cases, judged A/B on the suite's held-out cases and promoted under `full`
 * autonomy with the default change rules — the same functions the workflows use. A third
 * question set (evaluation/bench/docs_retriever-heldout.json) that the loop never sees measures
 * the result. Everything is pinned: the corpus is the frozen copy in evaluation/corpus/ (checked
 * against its SHA256SUMS; editing docs/ cannot move a figure), the cases are in evaluation/.
 * Plus sandbox throughput (cases/s) and cold isolate start.
 */
const ROOT = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(__dirname, 'evolution-results.json');
const CORPUS_DIR = path.join(ROOT, 'evaluation', 'corpus');
const BENCH_SET_FILE = path.join(ROOT, 'evaluation', 'bench', 'docs_retriever-heldout.json');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The frozen corpus, refused if any file differs from its recorded hash (or is missing or extra). */
async function loadPinnedCorpus() {
  const pinned = new Map(
    readFileSync(path.join(CORPUS_DIR, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [hash, file] = line.split(/\s+/);
        return [file, hash] as const;
      }),
  );
  const corpus = await loadDocsCorpus(CORPUS_DIR);
  const found = corpus.map((d) => `${d.path}:${sha256(d.text)}`).sort();
  const expected = [...pinned].map(([file, hash]) => `${file}:${hash}`).sort();
  if (found.join('\n') !== expected.join('\n'))
    throw new Error(`${CORPUS_DIR} differs from its SHA256SUMS: the pinned corpus was edited`);
  return corpus;
}

export interface EvolutionBenchOptions {
  generations?: number;
  candidatesPerGeneration?: number;
  seed?: number;
  write?: boolean;
}

export async function runEvolutionBench(options: EvolutionBenchOptions = {}) {
  const generations = options.generations ?? 8;
  const candidates = options.candidatesPerGeneration ?? 8;
  const seed = options.seed ?? 20261126;
  const corpus = await loadPinnedCorpus();
  const suite = (await loadSuite(path.join(ROOT, 'evaluation', 'suites'), 'docs_retriever'))!;
  const benchText = readFileSync(BENCH_SET_FILE, 'utf8');
  const benchSet: LoadedSuite = {
    ...SuiteFile.parse(JSON.parse(benchText)),
    name: path.basename(BENCH_SET_FILE),
    hash: sha256(benchText),
  };
  const baseCode = readFileSync(path.join(ROOT, 'components', 'rag', 'docs_retriever.js'), 'utf8');
  const manifest = await readComponentManifest(baseCode);
  const tunables = manifest.tunables!;

  const run = (code: string, s: LoadedSuite, cases = s.cases) =>
    runSuiteCases({ code, component: 'docs_retriever', version: 'bench', suite: s, cases, repetitions: 1, corpus });
  const train = suite.cases.filter((c) => !c.holdout);
  const holdout = suite.cases.filter((c) => c.holdout);

  /** One run of the loop from a starting point: the shipped defaults, or a deliberately detuned start. */
  async function scenario(name: string, start: Record<string, number>) {
    let current = { code: writeTunableDefaults(baseCode, start), params: start };
    const startBench = (await run(current.code, benchSet)).summary;
    const log: unknown[] = [];
    let promotions = 0;
    let worseThanParent = 0;
    /** Candidates an experiment refused, as the engine remembers them (version status `rejected`). */
    const refused = new Set<string>();
    for (let g = 1; g <= generations; g++) {
      const baseTrain = (await run(current.code, suite, train)).summary.mean_score;
      const best = await bestMutation({
        code: current.code,
        tunables,
        params: current.params,
        seed: seed + g,
        count: candidates,
        score: async (code) => (await run(code, suite, train)).summary.mean_score,
        refused: async (code) => refused.has(code),
      });
      if (!best || best.score <= baseTrain) {
        log.push({ generation: g, outcome: 'no_candidate', base_train: baseTrain });
        continue;
      }
      const [a, b] = [await run(current.code, suite, holdout), await run(best.code, suite, holdout)];
      const stats = pairedPermutationTest(
        a.cases.map((c) => c.mean_score),
        b.cases.map((c) => c.mean_score),
        seed + g,
      );
      const verdict: Conclusion['verdict'] =
        stats.p_value < 0.05 && stats.effect !== 0 ? (stats.effect > 0 ? 'b_better' : 'a_better') : 'no_difference';
      const decision = decidePromotion({
        component: 'docs_retriever',
        level: 'full',
        rules: DEFAULT_CHANGE_RULES,
        isRewrite: false,
        recentAutoPromotions: 0,
        conclusion: { ...stats, verdict, winner: null, alpha: 0.05, must_pass_failed: [], summary: '' },
      });
      const entry: Record<string, unknown> = {
        generation: g,
        params: best.params,
        base_train: baseTrain,
        candidate_train: best.score,
        suite_holdout_a: stats.mean_a,
        suite_holdout_b: stats.mean_b,
        p_value: stats.p_value,
        effect: stats.effect,
        differing_cases: stats.differing,
        verdict: impossibleVerdict(stats, 0.05) ? 'impossible' : verdict,
        decision: decision.action,
      };
      if (decision.action === 'promote') {
        const parentBench = (await run(current.code, benchSet)).summary.mean_score;
        const childBench = (await run(best.code, benchSet)).summary.mean_score;
        promotions++;
        if (childBench < parentBench) worseThanParent++;
        Object.assign(entry, { bench_parent: parentBench, bench_child: childBench });
        current = { code: best.code, params: best.params };
      } else refused.add(best.code);
      log.push(entry);
    }
    const endBench = (await run(current.code, benchSet)).summary;
    const r3 = (n: number) => Math.round(n * 1000) / 1000;
    return {
      scenario: name,
      start_params: start,
      final_params: current.params,
      heldout_before: { mean_score: r3(startBench.mean_score), pass_rate: r3(startBench.pass_rate) },
      heldout_after: { mean_score: r3(endBench.mean_score), pass_rate: r3(endBench.pass_rate) },
      promotions,
      promoted_worse_than_parent_on_heldout: worseThanParent,
      generations_log: log,
    };
  }
  const scenarios = [
    await scenario('shipped defaults', tunableDefaults(tunables)),
    await scenario('detuned start', { chunk_size: 400, chunk_overlap: 0, k1: 2.5, b: 0, top_k: 1 }),
  ];

  // Sandbox throughput: the calculator suite, 20 rounds, each case in a fresh isolate in one of the
  // sandbox pool's processes (so both figures include the round trip to that process).
  const calc = (await loadSuite(path.join(ROOT, 'evaluation', 'suites'), 'calculator'))!;
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
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const results = {
    at: new Date().toISOString(),
    component: 'docs_retriever',
    generations,
    candidates_per_generation: candidates,
    seed,
    corpus: {
      dir: 'evaluation/corpus',
      files: corpus.length,
      sha256: sha256(corpus.map((d) => `${d.path}:${sha256(d.text)}`).join('\n')),
    },
    suite_sha256: suite.hash,
    bench_set_sha256: benchSet.hash,
    bench_heldout_cases: benchSet.cases.length,
    suite_train_cases: train.length,
    suite_holdout_cases: holdout.length,
    scenarios: scenarios.map(({ generations_log: _g, ...summary }) => summary),
    promoted_worse_than_parent_on_heldout: scenarios.reduce((a, x) => a + x.promoted_worse_than_parent_on_heldout, 0),
    sandbox: {
      cases_per_second: round(casesPerSecond),
      cold_isolate_start_ms: { p50: round(percentileOf(cold, 50)), p95: round(percentileOf(cold, 95)), n: cold.length },
    },
    generations_logs: Object.fromEntries(scenarios.map((x) => [x.scenario, x.generations_log])),
  };
  if (options.write !== false) writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

if (require.main === module) {
  runEvolutionBench().then(
    (r) => {
      const { generations_logs: _logs, ...summary } = r;
      console.log(JSON.stringify(summary, null, 2));
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
