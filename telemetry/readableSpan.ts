import { SpanKind, SpanStatusCode, TraceFlags, type Attributes } from '@opentelemetry/api';
import { hrTimeDuration, millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * A finished span made from stored records rather than recorded live: its ids derived from the
 * records (traceIds.ts), its times the ones the records keep. What turns, evolutions and
 * generations hand to the process's span processor once they end.
 */

const INSTRUMENTATION = { name: 'evoscope.execution-graph' } as const;

export interface SpanParts {
  name: string;
  spanId: string;
  parentSpanId?: string;
  start: number;
  end: number;
  attributes: Attributes;
  error: string | null;
}

/** Milliseconds of an ISO time, or `fallback` when there is none. */
export const isoMillis = (iso: string | null | undefined, fallback: number) => (iso ? Date.parse(iso) : fallback);

export function readableSpan(traceId: string, resource: Resource, parts: SpanParts): ReadableSpan {
  const startTime = millisToHrTime(parts.start);
  const endTime = millisToHrTime(Math.max(parts.start, parts.end));
  return {
    name: parts.name,
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ traceId, spanId: parts.spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanId: parts.parentSpanId,
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status: parts.error ? { code: SpanStatusCode.ERROR, message: parts.error } : { code: SpanStatusCode.UNSET },
    attributes: parts.attributes,
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationLibrary: INSTRUMENTATION,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
