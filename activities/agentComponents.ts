import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import {
  AGENT_COMPONENTS,
  Analysis,
  AnalysedRequest,
  AnswerPrompt,
  FunctionPrompt,
  LoopDecision,
  ModelRouting,
  PlanResult,
} from '../domain/agent';
import type { ChatMessage } from '../domain/chat';
import type { Intent, PlanStep, StepOutcome } from '../domain/plan';
import type { DecideInput, Observation } from '../domain/turnContracts';
import { isPlannable, plannableToolOf } from '../domain/manifest';
import type { ActivityDeps } from './deps';
import { runComponent } from './steps/runComponent';
import { componentFor } from './steps/executeStep';

/** The manifest a planner sees of each tool it may plan with. */
const toolManifests = (deps: ActivityDeps) =>
  [...deps.components.values()].filter((c) => isPlannable(c.manifest)).map((c) => plannableToolOf(c.manifest));

/**
 * The agent's decisions, made by its components (intent_analyser, planner, responder,
 * model_selector) in the sandbox. Each output is validated before the host acts on it:
 * an evolved component that returns nonsense fails its node with a clear error.
 */
export function agentComponents(deps: ActivityDeps) {
  async function call<T>(name: string, schema: z.ZodType<T>, input: unknown): Promise<T> {
    const component = componentFor(deps, name);
    const output = await runComponent(component, input, deps.usage);
    const parsed = schema.safeParse(output);
    if (!parsed.success) {
      throw ApplicationFailure.create({
        message: `${name} ${component.version} returned an invalid result: ${z.prettifyError(parsed.error)}`,
        type: 'ComponentFailed',
        nonRetryable: true,
      });
    }
    return parsed.data;
  }

  /** Which component (and version) a node ran, for the graph. */
  const versionOf = (name: string) => {
    const component = componentFor(deps, name);
    return { name: component.name, version: component.version };
  };

  return {
    versionOf,

    route: (models: { id: string; offline: boolean }[]) => call(AGENT_COMPONENTS.modelSelector, ModelRouting, { models }),

    analyse: (content: string) => call(AGENT_COMPONENTS.analyser, Analysis, { op: 'analyse', content }),

    /** The rules' reading, corrected by a model's one-word classification. */
    readClassification: (content: string, reply: string) =>
      call(AGENT_COMPONENTS.analyser, Analysis, { op: 'read_reply', content, reply }),

    plan: async (requests: AnalysedRequest[], nextStep: number): Promise<PlanStep[]> =>
      (
        await call(AGENT_COMPONENTS.planner, PlanResult, {
          op: 'plan',
          requests,
          tools: toolManifests(deps),
          next_step: nextStep,
        })
      ).steps,

    functions: (content: string, intent: Intent, observations: Observation[]) =>
      call(AGENT_COMPONENTS.planner, FunctionPrompt, {
        op: 'functions',
        content,
        intent,
        tools: toolManifests(deps),
        observations,
      }),

    decide: (input: DecideInput) =>
      call(AGENT_COMPONENTS.planner, LoopDecision, {
        op: 'decide',
        outcomes: input.observations,
        pending: input.pending,
        replans: input.replans,
        exhausted: input.exhausted,
      }),

    replan: (failed: Observation, nextStep: number) =>
      call(AGENT_COMPONENTS.planner, PlanResult, {
        op: 'replan',
        failed: { step: failed.step, error: failed.error },
        next_step: nextStep,
      }),

    answerPrompt: (content: string, intent: Intent, history: ChatMessage[], outcomes: StepOutcome[]) =>
      call(AGENT_COMPONENTS.responder, AnswerPrompt, {
        content,
        intent,
        outcomes,
        history: history.map((m) => ({ role: m.role, content: m.content })),
      }),
  };
}

export type AgentComponents = ReturnType<typeof agentComponents>;
