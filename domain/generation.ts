/**
 * Generated tools: a new tool component and a proposed suite drafted by a model, from the
 * "requests no tool serves" prediction or a person's request. A generated suite is not
 * independent evidence, so the tool can be promoted only after a person has accepted
 * (and perhaps edited) its suite, at every autonomy level.
 */
import { z } from 'zod';
import type { SuiteRun } from './evolution';

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

export const ACCEPT_SUITE_UPDATE = 'acceptGeneratedSuite';
export const APPROVE_GENERATED_UPDATE = 'approveGeneratedTool';
export const REJECT_GENERATED_UPDATE = 'rejectGeneratedTool';
/** How promoteGeneratedTool refuses (an ApplicationFailure type): the name is taken by another component, file or suite. */
export const GENERATED_NAME_TAKEN = 'GeneratedNameTaken';
export const generationWorkflowId = (generationId: string) => `generate-tool:${generationId}`;
