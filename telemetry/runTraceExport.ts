import type { Db } from 'mongodb';
import { listRunSteps } from '../store/runStepStore';
import { runSpans, type RunRoot } from './runSpans';
import type { Tracing } from './tracingSetup';

/**
 * Sends a finished run's trace (an evolution's, a generation's), from the last activity of its
 * workflow. Everything comes from the store, so a run whose steps ran on several workers (one
 * of them killed) still arrives whole; the spans go through the process's batch processor.
 */
export async function exportRunTrace(tracing: Tracing, db: Db, run: RunRoot): Promise<void> {
  for (const span of runSpans(run, await listRunSteps(db, run.runId), tracing.resource)) tracing.spanProcessor.onEnd(span);
}
