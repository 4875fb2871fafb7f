import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { activeTracing } from './tracingSetup';
import { turnSpanContext } from './traceIds';

/**
 * Runs `start` (the API starting a turn's workflow) inside the turn's root span, so Temporal's
 * client interceptor hangs the workflow, and through it every activity, from the turn. The root
 * itself is sent later by the worker that finishes the turn (turnTraceExport.ts), under the same
 * ids. Without tracing, `start` just runs.
 */
export function withinTurnTrace<T>(turnId: string, start: () => Promise<T>): Promise<T> {
  if (!activeTracing()) return start();
  return context.with(trace.setSpanContext(ROOT_CONTEXT, turnSpanContext(turnId)), start);
}
