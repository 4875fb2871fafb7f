import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryPlugin, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkerPlugin } from '@temporalio/worker';
import type { Tracing } from './tracingSetup';

/**
 * Temporal's OpenTelemetry interceptors, so one trace crosses processes: the API's client puts
 * the current span into the workflow's headers, the workflow's spans (exported through a sink,
 * never while replaying) carry it to its activities, and an activity run on another worker
 * after a crash still finds its parent in the headers Temporal stored. Nothing when tracing is off.
 */
export const tracingClientInterceptors = (tracing: Tracing | null): ClientInterceptors | undefined =>
  tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;

export const tracingWorkerPlugins = (tracing: Tracing | null): WorkerPlugin[] =>
  tracing ? [new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor })] : [];
