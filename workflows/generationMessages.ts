import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AcceptSuiteInput, GeneratedAnswerInput, GenerateToolInput, GenerationStage } from '../domain/generation';
import { ACCEPT_SUITE_UPDATE, APPROVE_GENERATED_UPDATE, REJECT_GENERATED_UPDATE } from '../domain/generationWorkflowNames';

/** Defined once; generateTool handles them and the API sends them. Each validator refuses an update out of turn. */
export const acceptGeneratedSuiteUpdate = defineUpdate<void, [AcceptSuiteInput]>(ACCEPT_SUITE_UPDATE);
export const approveGeneratedToolUpdate = defineUpdate<void, [GeneratedAnswerInput]>(APPROVE_GENERATED_UPDATE);
export const rejectGeneratedToolUpdate = defineUpdate<void, [GeneratedAnswerInput]>(REJECT_GENERATED_UPDATE);
export const generationStageQuery = defineQuery<GenerationStage>('generationStage');
/** What was asked: the API shows a generation from the moment it starts, before its draft is recorded. */
export const generationRequestQuery = defineQuery<GenerateToolInput>('generationRequest');
