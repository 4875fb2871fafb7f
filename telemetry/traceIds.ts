import { createHash } from 'node:crypto';
import { TraceFlags, type SpanContext } from '@opentelemetry/api';

/**
 * A turn's trace and span ids, derived from the turn id and the node ids rather than drawn at
 * random. Whichever process writes a span of a turn (the API starting it, the worker that ran a
 * node, the worker that took over after a crash) names it and its parent alike without asking
 * anyone, so the pieces join into one trace even when a worker died between them, and a span
 * written twice (a retried activity) is the same span, not a second one.
 */

const hexDigest = (text: string, hexChars: number) => createHash('sha256').update(text).digest('hex').slice(0, hexChars);

/** 16 bytes, as W3C trace context wants. */
export const turnTraceId = (turnId: string) => hexDigest(`evoscope:trace:${turnId}`, 32);

/** 8 bytes: the span of one execution node (node ids are unique across turns). */
export const nodeSpanId = (nodeId: string) => hexDigest(`evoscope:node:${nodeId}`, 16);

/** 8 bytes: the turn's root span. */
export const turnSpanId = (turnId: string) => hexDigest(`evoscope:turn:${turnId}`, 16);

/** The turn's root span as a parent context (the API starts the turn's workflow under it). */
export const turnSpanContext = (turnId: string): SpanContext => ({
  traceId: turnTraceId(turnId),
  spanId: turnSpanId(turnId),
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

/** What a node record carries so the console can point at its span. */
export const nodeTraceIds = (turnId: string, nodeId: string) => ({ trace_id: turnTraceId(turnId), span_id: nodeSpanId(nodeId) });
