/**
 * Generated tools: a new tool component and a proposed suite drafted by a model, from the
 * "requests no tool serves" prediction or a person's request. A generated suite is not
 * independent evidence, so the tool can be promoted only after a person has accepted
 * (and perhaps edited) its suite, at every autonomy level.
 */
import { z } from 'zod';
import type { SuiteRun } from './evolution';
import { Identifier } from './identifier';
import { SuiteCase } from './suite';

export {
  ACCEPT_SUITE_UPDATE,
  APPROVE_GENERATED_UPDATE,
  GENERATED_NAME_TAKEN,
  generationWorkflowId,
  REJECT_GENERATED_UPDATE,
} from './generationWorkflowNames';

export const GenerationStage = z.enum(['drafting', 'awaiting_suite', 'testing', 'awaiting_approval', 'done']);
export type GenerationStage = z.infer<typeof GenerationStage>;

export interface PromptedBy {
  kind: 'prediction' | 'person';
  /** The prediction id, or who asked. */
  detail: string;
}

export interface GenerateToolInput {
  generationId: string;
  request: string;
  /** Requests from the chat the tool should serve (from the prediction). */
  examples: string[];
  promptedBy: PromptedBy;
}

export type GenerationOutcome = 'refused' | 'expired' | 'rejected' | 'promoted';

export interface GenerateToolResult {
  outcome: GenerationOutcome;
  reason: string;
}

/** A suite case as a person accepts it (evaluation/suite.ts validates it: the API checks before it sends). */
export interface AcceptedCase {
  id: string;
  input: unknown;
  expect: Record<string, unknown>;
  holdout: boolean;
}

export interface AcceptSuiteInput {
  by: string;
  cases: AcceptedCase[];
}

export interface GeneratedAnswerInput {
  by: string;
  reason: string | null;
}

/** The sandbox run of a draft on its proposed suite, or of the accepted suite. */
export type GeneratedTestRun = Pick<SuiteRun, 'cases' | 'summary'>;

/** What the model drafted for one generation, as recorded once (by its generation id). Types, not interfaces: the OpenAPI document checks them against its JSON shapes. */
export type GeneratedDraft = {
  request: string;
  examples: string[];
  prompted_by: PromptedBy;
  model: string | null;
  /** null when the model's reply could not become a draft; then `refusal` says why. */
  name: string | null;
  version: string | null;
  code: string | null;
  proposed_suite: AcceptedCase[] | null;
  /** The draft run in the sandbox on its own proposed suite. */
  proposed_run: GeneratedTestRun | null;
  refusal: string | null;
  created_at: string;
};

/** A person's acceptance of the suite, recorded once. */
export type SuiteAcceptance = {
  accepted_by: string;
  /** As accepted: the proposed suite, or the person's edit of it. */
  cases: AcceptedCase[];
  edited: boolean;
  /** The draft run in the sandbox on the accepted suite. */
  run: GeneratedTestRun;
  at: string;
};

export type GeneratedDecision = {
  outcome: GenerationOutcome;
  reason: string;
  decided_by: string;
  at: string;
};

/** A generation as the API serves it: where it is, and its records so far. */
export type GeneratedToolView = {
  id: string;
  /** `done` once decided; before, where its workflow is. */
  stage: GenerationStage;
  draft: GeneratedDraft;
  acceptance: SuiteAcceptance | null;
  decision: GeneratedDecision | null;
};

// ── Over the API ──
const Dict = z.record(z.string(), z.unknown());
/** GeneratedToolView as the API documents it (the draft and its records as open objects). */
export const GeneratedTool = z.object({
  id: z.string(),
  stage: z.string().describe('drafting, awaiting the suite, testing, awaiting approval, done'),
  draft: Dict.describe('the drafted tool: request, code, suite, who prompted it'),
  acceptance: Dict.nullable(),
  decision: Dict.nullable(),
});
export const GenerationStarted = z.object({ generation_id: z.string(), workflow_id: z.string() });
export type GenerationStarted = z.infer<typeof GenerationStarted>;

const By = z.string().trim().min(1).max(100).default('console user');
/** A person's request ("make a tool that …"), or the id of the "requests no tool serves" prediction to act on. */
export const GenerateInput = z
  .object({ request: z.string().trim().min(8).max(500).optional(), prediction_id: Identifier.optional(), by: By })
  .strict()
  .refine((b) => (b.request === undefined) !== (b.prediction_id === undefined), {
    message: 'give either request or prediction_id',
  });
/** Accepting a draft's suite as proposed, or with the person's edited cases. */
export const AcceptInput = z.object({ by: By, cases: z.array(SuiteCase).min(1).max(200).optional() }).strict();
/** Approving or rejecting a tested draft. */
export const AnswerInput = z.object({ by: By, reason: z.string().trim().max(500).optional() }).strict();
