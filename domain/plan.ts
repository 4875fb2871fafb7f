import { z } from 'zod';

/** What the analysis agent concluded the user wants. */
export const Intent = z.object({
  intent: z.enum(['arithmetic', 'unit_conversion', 'remember', 'recall', 'docs_question', 'long_form', 'chitchat']),
  confidence: z.number().min(0).max(1),
  summary: z.string(),
});
export type Intent = z.infer<typeof Intent>;

export const StepKind = z.enum(['tool', 'memory', 'rag', 'agent', 'decision']);
export type StepKind = z.infer<typeof StepKind>;

/** One planned step: which component runs, with what arguments, and why. */
export const PlanStep = z.object({
  id: z.string(),
  kind: StepKind,
  component: z.string(),
  args: z.record(z.string(), z.unknown()),
  reason: z.string(),
});
export type PlanStep = z.infer<typeof PlanStep>;

export interface StepOutcome {
  stepId: string;
  kind: StepKind;
  component: string;
  ok: boolean;
  output: unknown;
  error: string | null;
}
