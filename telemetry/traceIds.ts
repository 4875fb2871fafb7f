import { createHash } from 'node:crypto';
import { TraceFlags, type SpanContext } from '@opentelemetry/api';

/**
 * Trace and span ids derived from stored ids rather than drawn at random: a turn's from the turn
 * id and the node ids, an evolution's or a generation's (a run) from its workflow id and its
 * steps' keys. Whichever process writes a span (the API starting a run, the worker that ran a
 * step, the worker that took over after a crash) names it and its parent alike without asking
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

/** The trace of a run (an evolution, a generation), named by its workflow id. */
export const runTraceId = (runId: string) => hexDigest(`evoscope:run-trace:${runId}`, 32);

/** The run's root span. */
export const runSpanId = (runId: string) => hexDigest(`evoscope:run:${runId}`, 16);

/** One step of a run, by the key its activity gives it (the same on every attempt). */
export const stepSpanId = (runId: string, key: string) => hexDigest(`evoscope:step:${runId}:${key}`, 16);

const remoteParent = (traceId: string, spanId: string): SpanContext => ({
  traceId,
  spanId,
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

/** The turn's root span as a parent context (the API starts the turn's workflow under it). */
export const turnSpanContext = (turnId: string): SpanContext => remoteParent(turnTraceId(turnId), turnSpanId(turnId));

/** A run's root span as a parent context (the API starts the run's workflow under it). */
export const runSpanContext = (runId: string): SpanContext => remoteParent(runTraceId(runId), runSpanId(runId));

/** What a node record carries so the console can point at its span. */
export const nodeTraceIds = (turnId: string, nodeId: string) => ({ trace_id: turnTraceId(turnId), span_id: nodeSpanId(nodeId) });
