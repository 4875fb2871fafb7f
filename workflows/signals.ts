import { defineSignal } from '@temporalio/workflow';
import { STOP_SIGNAL } from '../domain/workflowContracts';

/** Defined once; the workflow handles it and the API sends it. */
export const stopTurnSignal = defineSignal(STOP_SIGNAL);
