import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Env } from '../domain/server/env';

/**
 * The process's OpenTelemetry tracing, started only when an OTLP endpoint is configured: with
 * none, nothing is installed (the API's global no-op tracer stays), nothing is exported and the
 * turns pay nothing. One per process: the API and the worker share it when a test runs both.
 * The exporter reads the other standard variables itself (OTEL_EXPORTER_OTLP_HEADERS, timeouts,
 * compression; OTEL_BSP_* for batching); OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
 * over the process's own service name.
 */
export interface Tracing {
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Writes prompt and completion text into spans (EVOSCOPE_TRACE_CONTENT=1); off by default. */
  withContent: boolean;
}

let started: { tracing: Tracing; provider: NodeTracerProvider } | null = null;

/** Where spans go: the traces endpoint as given, or the base endpoint's /v1/traces (the OTLP/HTTP rule). */
export function tracesUrl(env: Pick<Env, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'>): string | null {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}

/** Starts tracing once per process when the environment asks for it; null when it does not. */
export function startTracing(env: Env, serviceName: string): Tracing | null {
  if (started) return started.tracing;
  const url = tracesUrl(env);
  if (!url) return null;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName, ...envDetectorSync.detect().attributes });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  started = { tracing: { spanProcessor, resource, withContent: env.EVOSCOPE_TRACE_CONTENT }, provider };
  return started.tracing;
}

/** This process's tracing, if it was started. */
export const activeTracing = (): Tracing | null => started?.tracing ?? null;

/** Sends what is still batched; call before the process exits. */
export async function stopTracing(): Promise<void> {
  await started?.provider.shutdown();
  started = null;
}
