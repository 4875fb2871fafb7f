import { OpenInferenceSpanKind, SemanticConventions } from '@arizeai/openinference-semantic-conventions';
import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RunStepDoc } from '../store/runStepStore';
import { readableSpan } from './readableSpan';
import { runSpanId, runTraceId, stepSpanId } from './traceIds';

/**
 * A finished run (an evolution, a generation) as spans: the run as the root, each stored step a
 * child of the step it is part of (of the root when it is a step of the run, or when the step it
 * belongs to never ended), with the times its activity stored.
 */
export interface RunRoot {
  /** The run's workflow id. */
  runId: string;
  name: string;
  /** When the workflow started; the root also covers any step stored earlier or later. */
  startedAt: string;
  attributes: Attributes;
  error: string | null;
}

export function runSpans(run: RunRoot, steps: RunStepDoc[], resource: Resource): ReadableSpan[] {
  const traceId = runTraceId(run.runId);
  const rootSpanId = runSpanId(run.runId);
  const keys = new Set(steps.map((s) => s.key));
  const now = Date.now();
  const start = Math.min(Date.parse(run.startedAt), ...steps.map((s) => Date.parse(s.started_at)));
  const end = Math.max(now, ...steps.map((s) => Date.parse(s.ended_at)));
  const root = readableSpan(traceId, resource, {
    name: run.name,
    spanId: rootSpanId,
    start,
    end,
    attributes: {
      [SemanticConventions.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.CHAIN,
      'evoscope.workflow.id': run.runId,
      'evoscope.step.count': steps.length,
      ...run.attributes,
    },
    error: run.error,
  });
  const stepSpans = steps.map((step) =>
    readableSpan(traceId, resource, {
      name: step.name,
      spanId: stepSpanId(run.runId, step.key),
      parentSpanId: step.parent_key && keys.has(step.parent_key) ? stepSpanId(run.runId, step.parent_key) : rootSpanId,
      start: Date.parse(step.started_at),
      end: Date.parse(step.ended_at),
      attributes: { 'evoscope.workflow.id': run.runId, 'evoscope.step.key': step.key, ...step.attributes },
      error: step.error,
    }),
  );
  return [root, ...stepSpans];
}
