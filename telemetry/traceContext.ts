import { context, ROOT_CONTEXT, trace, type SpanContext } from '@opentelemetry/api';
import { activeTracing } from './tracingSetup';
import { runSpanContext, turnSpanContext } from './traceIds';

/**
 * Runs `start` (the API starting a workflow) inside the root span of what the workflow runs, so
 * Temporal's client interceptor hangs the workflow, and through it every activity, from that
 * root. The root itself is sent later by the worker that finishes the run (turnTraceExport.ts,
 * runTraceExport.ts), under the same ids. Without tracing, `start` just runs.
 */
function withinSpan<T>(parent: () => SpanContext, start: () => Promise<T>): Promise<T> {
  if (!activeTracing()) return start();
  return context.with(trace.setSpanContext(ROOT_CONTEXT, parent()), start);
}

/** A chat turn (or a replay), under its turn id. */
export const withinTurnTrace = <T>(turnId: string, start: () => Promise<T>) => withinSpan(() => turnSpanContext(turnId), start);

/** An evolution or a generation, under its workflow id. */
export const withinRunTrace = <T>(workflowId: string, start: () => Promise<T>) =>
  withinSpan(() => runSpanContext(workflowId), start);
