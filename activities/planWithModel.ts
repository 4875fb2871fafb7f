import type { AnalysedRequest, PlannerFunction } from '../domain/agent';
import type { Intent, PlanStep } from '../domain/plan';
import type { AgentComponents, Observation } from './agentComponents';
import type { FunctionCall, ModelClient } from '../model/modelClient';

export interface PlanningInput {
  content: string;
  intent: Intent;
  requests: AnalysedRequest[];
  /** What the steps so far returned (empty for the first plan). */
  observations: Observation[];
  /** Number of the first new step: step ids stay unique across re-plans. */
  nextStep: number;
}

/** Calls to functions the planner offered become steps; a call to anything else, or with unreadable arguments, is dropped. */
export function stepsFromCalls(calls: FunctionCall[], functions: PlannerFunction[], nextStep: number): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const call of calls) {
    const fn = functions.find((f) => f.name === call.name);
    if (!fn) continue;
    let args: unknown;
    try {
      args = JSON.parse(call.arguments || '{}');
    } catch {
      continue;
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) continue;
    steps.push({
      id: `step-${nextStep + steps.length}`,
      ...fn.step,
      args: args as Record<string, unknown>,
      reason: `the model called ${call.name}`,
    });
  }
  return steps;
}

/**
 * A plan from the planner component's rules (offline), or from a configured model's native
 * tool calls over the planner's functions and prompt (which carries the observations, so a
 * re-plan sees what failed).
 */
export async function planWithModel(agent: AgentComponents, model: ModelClient, input: PlanningInput): Promise<PlanStep[]> {
  if (model.kind === 'offline') return agent.plan(input.requests, input.nextStep);
  const prompt = await agent.functions(input.content, input.intent, input.observations);
  return stepsFromCalls(await model.callFunctions(prompt.messages, prompt.functions), prompt.functions, input.nextStep);
}
