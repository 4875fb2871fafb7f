import { z } from 'zod';
import { Intent, PlanStep, StepKind } from './plan';

/**
 * What the agent's own components (components/agent, chain, model) return. They are
 * evolvable files run in the sandbox, so the host validates every output against these
 * before it acts on it.
 */

/** One thing the user asked for; a compound message has several. */
export const AnalysedRequest = z.object({
  text: z.string(),
  intent: Intent.shape.intent,
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  /** The values a tool needs (expression; value, from, to; text; query). */
  entities: z.record(z.string(), z.unknown()),
  /** The tool that serves it, if any. */
  tool: z.string().nullable(),
});
export type AnalysedRequest = z.infer<typeof AnalysedRequest>;

/** A message as the host sends it to an OpenAI-compatible model. */
export const PromptMessage = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  tool_calls: z
    .array(
      z.object({
        id: z.string(),
        type: z.literal('function'),
        function: z.object({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
  tool_call_id: z.string().optional(),
});
export type PromptMessage = z.infer<typeof PromptMessage>;

/** intent_analyser: the reading of a message, and the prompt a configured model classifies it with. */
export const Analysis = z.object({
  intent: Intent,
  requests: z.array(AnalysedRequest).min(1),
  tools: z.array(z.string()),
  classification: z.object({ intents: z.array(z.string()), messages: z.array(PromptMessage).min(1) }),
});
export type Analysis = z.infer<typeof Analysis>;

/** model_selector: for each intent, the ids of the models that serve it, preferred first. */
export const ModelRouting = z.object({
  default: z.string(),
  routes: z.record(z.string(), z.array(z.string())),
  reason: z.string(),
});
export type ModelRouting = z.infer<typeof ModelRouting>;

/** A function a model may call natively, and the plan step a call to it becomes. */
export const PlannerFunction = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  step: z.object({ kind: StepKind, component: z.string() }),
});
export type PlannerFunction = z.infer<typeof PlannerFunction>;

/** planner op "plan" and "replan". */
export const PlanResult = z.object({ steps: z.array(PlanStep), reason: z.string().optional() });
export type PlanResult = z.infer<typeof PlanResult>;

/** planner op "functions": the native tool-calling prompt. */
export const FunctionPrompt = z.object({ functions: z.array(PlannerFunction), messages: z.array(PromptMessage).min(1) });
export type FunctionPrompt = z.infer<typeof FunctionPrompt>;

export const LoopAction = z.enum(['continue', 'replan', 'answer', 'give_up']);
export type LoopAction = z.infer<typeof LoopAction>;

/** planner op "decide": what the turn does after a step. */
export const LoopDecision = z.object({ action: LoopAction, reason: z.string() });
export type LoopDecision = z.infer<typeof LoopDecision>;

/** responder: what a configured model answers from, and the offline model's answer. */
export const AnswerPrompt = z.object({ messages: z.array(PromptMessage).min(1), offline_text: z.string() });
export type AnswerPrompt = z.infer<typeof AnswerPrompt>;

/** The agent's components, by the job the host calls them for. */
export const AGENT_COMPONENTS = {
  analyser: 'intent_analyser',
  planner: 'planner',
  responder: 'responder',
  modelSelector: 'model_selector',
} as const;
