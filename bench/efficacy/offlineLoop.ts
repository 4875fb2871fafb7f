import { bestMutation } from '../../evolution/bestMutation';
import { describeTunableChange, tunableDefaults, writeTunableDefaults } from '../../evolution/tunableMutation';
import { benchParentChild, judgeCandidate } from './judge';
import type { Subject } from './subjects';

export interface LoopOptions {
  generations: number;
  candidates: number;
  seed: number;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * One run of the offline operator from a starting point: each generation the best of `candidates`
 * seeded mutations on the suite's training cases (bestMutation, as proposeOfflineCandidate does),
 * A/B-judged on the held-out cases and promoted or refused by the rules (judgeCandidate); a
 * refused candidate is remembered, as the engine marks it rejected. The benchmark set measures
 * the start, the end, and parent against child at every promotion.
 */
export async function offlineScenario(subject: Subject, name: string, start: Record<string, number>, o: LoopOptions) {
  const startParams = { ...tunableDefaults(subject.tunables), ...start };
  let current = { code: writeTunableDefaults(subject.code, start), params: startParams };
  const startBench = (await subject.run(current.code, 'bench')).summary;
  const log: Record<string, unknown>[] = [];
  let promotions = 0;
  let worseThanParent = 0;
  const refused = new Set<string>();
  const trainScore = async (code: string) => (await subject.run(code, subject.train)).summary.mean_score;
  for (let g = 1; g <= o.generations; g++) {
    const baseTrain = await trainScore(current.code);
    const best = await bestMutation({
      code: current.code,
      tunables: subject.tunables,
      params: current.params,
      seed: o.seed + g,
      count: o.candidates,
      score: trainScore,
      refused: async (code) => refused.has(code),
    });
    if (!best || best.score <= baseTrain) {
      log.push({ generation: g, outcome: 'no_candidate', base_train: r3(baseTrain) });
      continue;
    }
    const judged = await judgeCandidate(subject, current.code, best.code, o.seed + g, false);
    const entry: Record<string, unknown> = {
      generation: g,
      changed: describeTunableChange(current.params, best.change),
      base_train: r3(baseTrain),
      candidate_train: r3(best.score),
      ...judged,
    };
    if (judged.decision === 'promote') {
      const bench = await benchParentChild(subject, current.code, best.code);
      promotions++;
      if (bench.worse) worseThanParent++;
      Object.assign(entry, { bench_parent: r3(bench.bench_parent), bench_child: r3(bench.bench_child) });
      current = { code: best.code, params: best.change };
    } else refused.add(best.code);
    log.push(entry);
  }
  const endBench = (await subject.run(current.code, 'bench')).summary;
  return {
    scenario: name,
    start_params: start,
    moved_from_start: describeTunableChange(startParams, current.params) || 'nothing',
    heldout_before: { mean_score: r3(startBench.mean_score), pass_rate: r3(startBench.pass_rate) },
    heldout_after: { mean_score: r3(endBench.mean_score), pass_rate: r3(endBench.pass_rate) },
    promotions,
    promoted_worse_than_parent_on_heldout: worseThanParent,
    generations_log: log,
  };
}
