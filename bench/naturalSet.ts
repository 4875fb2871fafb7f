/**
 * The natural-phrasing set (evaluation/natural/requests.json) through a chat turn's own steps,
 * outside Temporal: the analyser (and, with a model, its classification), the plan, the tool
 * steps and the answer (grounded when an endpoint speaks). With `--local-model` the local
 * SmolLM2 server plans and answers; otherwise the offline model does. Prints and writes the
 * figures: right tool and right answer per part, and for a model the forced tool calls made
 * and how many of them were valid (their arguments ran).
 *
 *   npx tsx bench/naturalSet.ts [--local-model] [--limit N]
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { agentComponents } from '../activities/agentComponents';
import type { ActivityDeps } from '../activities/deps';
import { planWithModel } from '../activities/planWithModel';
import { executeStep, toolAccepts } from '../activities/steps/executeStep';
import type { StepOutcome } from '../domain/plan';
import { judgeCase, loadNaturalSet, summarise, type CaseVerdict } from '../evaluation/natural/naturalSet';
import { groundedModel, needsGrounding } from '../model/groundedAnswer';
import type { ModelClient } from '../model/modelClient';
import { createOfflineModel } from '../model/offlineModel';
import { createOpenAiModel } from '../model/openAiModel';
import { loadDocsCorpus } from '../registry/corpus';
import { loadComponents } from '../registry/registry';
import { sandboxPool } from '../sandbox/sandboxPool';
import { startLocalModelServer } from '../scripts/lib/localModel';
import { getFreePort, stopProcess } from '../scripts/lib/processes';

const root = path.resolve(__dirname, '..');

interface CallFigures {
  forced: number;
  valid: number;
}

async function answerOne(deps: ActivityDeps, model: ModelClient, content: string, calls: CallFigures) {
  const agent = agentComponents(deps);
  const reading = await agent.analyse(content);
  const analysis =
    model.kind === 'endpoint'
      ? await agent.readClassification(content, await model.complete(reading.classification.messages))
      : reading;
  const steps = await planWithModel(
    agent,
    model,
    { content, intent: analysis.intent, requests: analysis.requests, observations: [], nextStep: 1 },
    toolAccepts(deps),
  );
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    if (step.kind === 'tool' && model.kind === 'endpoint') {
      calls.forced++;
      if (step.reason.startsWith('the model called')) calls.valid++;
    }
    const base = { stepId: step.id, kind: step.kind, component: step.component };
    outcomes.push(
      await executeStep(deps, 'natural-set', step).then(
        (output) => ({ ...base, ok: true, output, error: null }),
        (err: Error) => ({ ...base, ok: false, output: null, error: err.message }),
      ),
    );
  }
  const prompt = await agent.answerPrompt(content, analysis.intent, [], outcomes);
  const speaker = needsGrounding(model, outcomes) ? groundedModel(model, { request: content, outcomes }) : model;
  const text = await speaker.streamAnswer(prompt, () => undefined, new AbortController().signal);
  return { tools: steps.map((s) => s.component), text };
}

async function main() {
  const local = process.argv.includes('--local-model');
  const limitAt = process.argv.indexOf('--limit');
  const cases = loadNaturalSet().slice(0, limitAt === -1 ? undefined : Number(process.argv[limitAt + 1]));
  const components = new Map((await loadComponents(path.join(root, 'components'))).map((c) => [c.name, c]));
  // The steps run here touch neither the database nor the environment (no memory step in the set).
  const deps = { components, corpus: await loadDocsCorpus(path.join(root, 'docs')) } as unknown as ActivityDeps;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-natural-'));
  const server = local
    ? await startLocalModelServer({
        port: await getFreePort(),
        logFile: path.join(dir, 'local-model.log'),
        settings: { LOCAL_MODEL_TEMPERATURE: '0', LOCAL_MODEL_THREADS: '1', LOCAL_MODEL_MAX_TOKENS: '96' },
      })
    : null;
  const model: ModelClient = server
    ? createOpenAiModel({ baseUrl: server.baseUrl, apiKey: '', model: server.modelId })
    : createOfflineModel(0);
  const calls: CallFigures = { forced: 0, valid: 0 };
  const verdicts: CaseVerdict[] = [];
  try {
    for (const c of cases) {
      const verdict = judgeCase(c, await answerOne(deps, model, c.content, calls));
      verdicts.push(verdict);
      console.log(
        `${verdict.rightAnswer ? 'right' : 'WRONG'} ${c.id}: [${verdict.reply.tools.join(', ')}] ${JSON.stringify(verdict.reply.text.slice(0, 120))}`,
      );
    }
  } finally {
    if (server) await stopProcess(server.process);
    await rm(dir, { recursive: true, force: true });
    await sandboxPool.close();
  }
  const figures = { model: model.label, score: summarise(verdicts), tool_calls: local ? calls : null };
  console.log(JSON.stringify(figures, null, 2));
  writeFileSync(
    path.join(__dirname, `natural-${local ? 'local-model' : 'offline'}-results.json`),
    JSON.stringify(figures, null, 2) + '\n',
  );
}

void main();
