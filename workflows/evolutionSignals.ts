import { defineQuery, defineSignal } from '@temporalio/workflow';
import { APPROVE_SIGNAL, ApprovalSignal, REJECT_SIGNAL } from '../domain/evolution';

/** Defined once; evolveComponent handles them and the API sends them (after checking the experiment awaits a decision). */
export const approveExperimentSignal = defineSignal<[ApprovalSignal]>(APPROVE_SIGNAL);
export const rejectExperimentSignal = defineSignal<[ApprovalSignal]>(REJECT_SIGNAL);
export const evolutionStageQuery = defineQuery<string>('evolutionStage');
