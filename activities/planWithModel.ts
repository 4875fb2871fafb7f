import { isDeepStrictEqual } from 'node:util';
import type { AnalysedRequest, PlannerFunction } from '../domain/agent';
import type { Intent, PlanStep } from '../domain/plan';
import type { Observation } from '../domain/turnContracts';
import type { AgentComponents } from './agentComponents';
import type { EndpointModelClient, FunctionCall, ModelClient } from '../model/modelClient';
import { checkCall } from '../model/toolCallCheck';

/** Whether a tool accepts a step's arguments: the step run once, its output dropped (tools are pure functions in the sandbox). */
export type StepTrial = (step: PlanStep) => Promise<boolean>;

export interface PlanningInput {
  content: string;
  intent: Intent;
  requests: AnalysedRequest[];
  /** What the steps so far returned (empty for the first plan). */
  observations: Observation[];
  /** Number of the first new step: step ids stay unique across re-plans. */
  nextStep: number;
}

/** Calls to functions the planner offered become steps; a call to anything else, or with arguments that do not fit its schema, is dropped. */
function stepsFromCalls(calls: FunctionCall[], functions: PlannerFunction[], nextStep: number): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const call of calls) {
    const fn = functions.find((f) => f.name === call.name);
    const checked = fn ? checkCall(call, fn, null) : null;
    if (!fn || !checked?.ok) continue;
    steps.push({
      id: `step-${nextStep + steps.length}`,
      ...fn.step,
      args: checked.args,
      reason: `the model called ${call.name}`,
    });
  }
  return steps;
}

/** The analyser's request a rules' step serves: the next one, in order, that names its tool. */
function requestTexts(steps: PlanStep[], requests: AnalysedRequest[], content: string): string[] {
  const unused = [...requests];
  return steps.map((step) => {
    const at = unused.findIndex((r) => r.tool === step.component);
    return at === -1 ? content : unused.splice(at, 1)[0].text;
  });
}

/**
 * The arguments of a tool step, from a call the model must make (`tool_choice` names the
 * function, so a schema-constrained server always answers with a call). A call that does not
 * fit the schema, states a number the request does not, or that the tool refuses, is refused:
 * the rules' step runs.
 */
async function argumentsFromModel(
  agent: AgentComponents,
  model: EndpointModelClient,
  trial: StepTrial,
  intent: Intent,
  step: PlanStep,
  request: string,
): Promise<PlanStep> {
  const prompt = await agent.functions(request, intent, []);
  const fn = prompt.functions.find((f) => f.step.component === step.component && f.step.kind === step.kind);
  if (!fn) return step;
  const refused = (problem: string) => ({ ...step, reason: `${step.reason} (the model's call was refused: ${problem})` });
  const [call] = await model.callFunctions(prompt.messages, [fn], fn.name);
  if (!call) return refused(`it made no call of ${fn.name}`);
  const checked = checkCall(call, fn, request);
  if (!checked.ok) return refused(checked.problem);
  const modelStep = { ...step, args: checked.args, reason: `the model called ${fn.name}` };
  // The rules' own arguments need no trial run: they are what would run instead.
  if (isDeepStrictEqual(checked.args, step.args)) return modelStep;
  return (await trial(modelStep)) ? modelStep : refused(`${fn.name} fails on its arguments`);
}

/**
 * A plan. Offline, the planner component's rules. With a configured model: when the rules
 * find requests a tool serves, the tool runs for each of them whatever the model thinks, and a
 * tool step's arguments come from a forced call (the rules' arguments when that call is
 * refused; memory and retrieval steps keep the rules' arguments, which quote the request).
 * `trial` runs a tool step once to see whether the tool accepts the model's arguments.
 * When the rules find none, and for a re-plan (the observations carry what failed), the model
 * calls the planner's functions natively.
 */
export async function planWithModel(
  agent: AgentComponents,
  model: ModelClient,
  input: PlanningInput,
  trial: StepTrial,
): Promise<PlanStep[]> {
  const ruled = input.observations.length === 0 ? await agent.plan(input.requests, input.nextStep) : [];
  if (model.kind === 'offline') return ruled;
  if (ruled.length === 0) {
    const prompt = await agent.functions(input.content, input.intent, input.observations);
    return stepsFromCalls(await model.callFunctions(prompt.messages, prompt.functions), prompt.functions, input.nextStep);
  }
  const texts = requestTexts(ruled, input.requests, input.content);
  const steps: PlanStep[] = [];
  for (const [i, step] of ruled.entries()) {
    steps.push(step.kind === 'tool' ? await argumentsFromModel(agent, model, trial, input.intent, step, texts[i]) : step);
  }
  return steps;
}
