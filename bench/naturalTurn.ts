/**
 * A chat turn's own steps for one request, outside Temporal: the analyser (and, with a model,
 * its classification), the plan, the tool steps and the answer (grounded when an endpoint
 * speaks). The natural-set bench runs it with the offline or the local model; the unit test
 * of the offline agent runs it too.
 */
import path from 'node:path';
import { agentComponents } from '../activities/agentComponents';
import type { ActivityDeps } from '../activities/deps';
import { planWithModel } from '../activities/planWithModel';
import { executeStep, toolAccepts } from '../activities/steps/executeStep';
import type { StepOutcome } from '../domain/plan';
import type { AgentReply } from '../evaluation/naturalSet';
import { speakerFor } from '../model/groundedAnswer';
import type { ModelClient } from '../model/modelClient';
import { loadDocsCorpus } from '../registry/corpus';
import { loadComponents } from '../registry/registry';

const root = path.resolve(__dirname, '..');

/** Tool steps a model was made to call, and how many of those calls ran (were valid). */
export interface CallFigures {
  forced: number;
  valid: number;
}

/** The shipped components and docs; the steps run here touch neither database nor environment (the set has no memory step). */
export async function shippedAgentDeps(): Promise<ActivityDeps> {
  const components = new Map((await loadComponents(path.join(root, 'components'))).map((c) => [c.name, c]));
  return { components, corpus: await loadDocsCorpus(path.join(root, 'docs')) } as unknown as ActivityDeps;
}

export async function answerOne(
  deps: ActivityDeps,
  model: ModelClient,
  content: string,
  calls: CallFigures = { forced: 0, valid: 0 },
): Promise<AgentReply> {
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
  const speaker = speakerFor(model, { request: content, outcomes });
  const text = await speaker.streamAnswer(prompt, () => undefined, new AbortController().signal);
  return { tools: steps.map((s) => s.component), text };
}
