import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalInput, Decision } from '../domain/evolution';
import { APPROVE_UPDATE, REJECT_UPDATE } from '../domain/evolutionWorkflowNames';

/**
 * Defined once; evolveComponent handles them and the API sends them. A person's decision is an
 * update: its validator refuses it unless the experiment awaits approval, and it returns the
 * decision once it is recorded (promoted, rejected, or not promoted when the current version moved).
 */
export const approveExperimentUpdate = defineUpdate<Decision, [ApprovalInput]>(APPROVE_UPDATE);
export const rejectExperimentUpdate = defineUpdate<Decision, [ApprovalInput]>(REJECT_UPDATE);
export const evolutionStageQuery = defineQuery<string>('evolutionStage');
