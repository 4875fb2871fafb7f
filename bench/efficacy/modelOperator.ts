import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { completeDraft, compileDraft } from '../../activities/modelDraft';
import { codeBlockOf, REWRITE_SYSTEM, rewriteMismatch, rewriteUserMessage } from '../../evolution/rewritePrompt';
import type { ComponentManifest } from '../../domain/manifest';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { loadFiguresFromLog, startLocalModelServer, type LocalModelServer } from '../../scripts/lib/localModel';
import { getFreePort, stopProcess } from '../../scripts/lib/processes';
import { benchParentChild, judgeCandidate } from './judge';
import type { Subject } from './subjects';

export interface ModelOperatorOptions {
  /** Rewrite attempts per component. */
  attempts: number;
  /** Wall-clock budget for all attempts together; an attempt never waits on the model past it. */
  budgetMs: number;
  /** Tokens the server may generate per reply (LOCAL_MODEL_MAX_TOKENS). */
  maxTokens: number;
  /** The context window (LOCAL_MODEL_CONTEXT): a whole component file must fit in the prompt. */
  context: number;
  seed: number;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

type Ask = (user: string, timeoutMs: number) => Promise<string>;

/**
 * The model operator with the embedded local model (SmolLM2-135M-Instruct): for each component,
 * rewrites in sequence from its shipped file (a promoted rewrite is the next one's base), asked
 * for exactly as proposeModelRewrite asks (same prompt, same reading of the reply), then
 * compiled, run over the suite, A/B-judged and decided by the same rules as a model rewrite in
 * the engine. Components take turns, one attempt each per round, until the attempts or the time
 * budget run out. If the server cannot be started, the figures say why and the offline ones stand.
 */
export async function modelOperatorFigures(subjects: Subject[], o: ModelOperatorOptions) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-efficacy-model-'));
  const logFile = path.join(dir, 'local-model.log');
  let server: LocalModelServer;
  try {
    server = await startLocalModelServer({
      port: await getFreePort(),
      logFile,
      settings: { LOCAL_MODEL_THREADS: '1', LOCAL_MODEL_CONTEXT: String(o.context), LOCAL_MODEL_MAX_TOKENS: String(o.maxTokens) },
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return { started: false as const, reason: err instanceof Error ? err.message : String(err) };
  }
  try {
    const settings = { baseUrl: server.baseUrl, apiKey: '', model: server.modelId };
    const ask: Ask = (user, timeoutMs) => completeDraft(settings, REWRITE_SYSTEM, user, { timeoutMs });
    const deadline = performance.now() + o.budgetMs;
    const operators = await Promise.all(subjects.map((s) => rewriteOperator(s, o.seed)));
    for (let round = 1; round <= o.attempts; round++)
      for (const operator of operators) {
        const left = deadline - performance.now();
        if (left > 0) await operator.attempt(round, ask, left);
      }
    return {
      started: true as const,
      model: server.modelId,
      server_load_ms: loadFiguresFromLog(logFile)?.load_ms ?? null,
      settings: { threads: 1, context: o.context, max_tokens: o.maxTokens, temperature: 0.2, budget_s: o.budgetMs / 1000 },
      components: Object.fromEntries(
        await Promise.all(subjects.map(async (s, i) => [s.component, await operators[i].figures()] as const)),
      ),
    };
  } finally {
    await stopProcess(server.process);
    await rm(dir, { recursive: true, force: true });
  }
}

/** One component's sequence of model rewrites: each attempt's outcome, and the figures at the end. */
async function rewriteOperator(subject: Subject, seed: number) {
  const baseManifest = await readComponentManifest(subject.code);
  let current = subject.code;
  const benchBefore = (await subject.run(current, 'bench')).summary.mean_score;
  const attempts: Record<string, unknown>[] = [];
  return {
    async attempt(i: number, ask: Ask, timeoutMs: number) {
      const parentRun = await subject.run(current, subject.suite.cases);
      const failingTrain = parentRun.cases.filter((c) => !c.holdout && !c.passed);
      const started = performance.now();
      const reply = await ask(rewriteUserMessage(current, failingTrain, null), timeoutMs).then(
        (text) => ({ text }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      );
      const code = 'text' in reply ? codeBlockOf(reply.text) : '';
      const review: Outcome =
        'error' in reply
          ? { stage: 'request failed', detail: reply.error }
          : await reviewRewrite(reply.text, code, current, baseManifest);
      const outcome: Record<string, unknown> = {
        attempt: i,
        model_seconds: r3((performance.now() - started) / 1000),
        reply_chars: 'text' in reply ? reply.text.length : 0,
        ...review,
        compiled: review.stage === 'judged' || review.stage === 'identical',
      };
      if (review.stage === 'judged') {
        const passedBefore = new Set(parentRun.cases.filter((c) => c.passed).map((c) => c.case_id));
        const lost = (await subject.run(code, subject.suite.cases)).cases.filter((c) => passedBefore.has(c.case_id) && !c.passed);
        const judged = await judgeCandidate(subject, current, code, seed + i, true);
        Object.assign(outcome, { passed_suite: lost.length === 0, suite_cases_lost: lost.length, ...judged });
        if (judged.decision === 'promote') {
          Object.assign(outcome, await benchParentChild(subject, current, code));
          current = code;
        }
      }
      attempts.push(outcome);
    },
    async figures() {
      const promoted = attempts.filter((a) => a.decision === 'promote');
      return {
        proposed: attempts.length,
        compiled: attempts.filter((a) => a.compiled).length,
        passed_suite: attempts.filter((a) => a.passed_suite === true).length,
        promoted: promoted.length,
        promoted_worse_than_parent_on_heldout: promoted.filter((a) => a.worse === true).length,
        heldout_before: r3(benchBefore),
        heldout_after: r3((await subject.run(current, 'bench')).summary.mean_score),
        attempts,
      };
    },
  };
}

type Outcome = {
  stage: 'request failed' | 'no code block' | 'does not compile' | 'wrong manifest' | 'identical' | 'judged';
  detail: string;
};

/** How far a drafted file gets before it is judged, with the engine's reasons for stopping. */
async function reviewRewrite(reply: string, code: string, parent: string, base: ComponentManifest): Promise<Outcome> {
  if (!code.trim()) {
    // A block opened and never closed: the reply was most likely cut at the token limit.
    const cut = /```(?:js|javascript)?\s*\n/.test(reply);
    return {
      stage: 'no code block',
      detail: cut ? 'the reply opens a code block it never closes' : 'the model returned no code block',
    };
  }
  const compiled = await compileDraft(code);
  if ('error' in compiled) return { stage: 'does not compile', detail: compiled.error.slice(0, 300) };
  const mismatch = rewriteMismatch(compiled.manifest, base);
  if (mismatch) return { stage: 'wrong manifest', detail: mismatch };
  if (code === parent) return { stage: 'identical', detail: 'the rewrite is identical to the current version' };
  return { stage: 'judged', detail: 'compiled; run over the suite and A/B-judged' };
}
