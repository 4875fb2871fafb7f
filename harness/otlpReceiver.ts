import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import generatedRoot from '@opentelemetry/otlp-transformer/build/src/generated/root';

/**
 * An OTLP/HTTP trace receiver, as a collector would be: POST /v1/traces with a protobuf
 * `ExportTraceServiceRequest` (gzip or not), decoded with OpenTelemetry's own generated
 * protobuf code, answered with an empty `ExportTraceServiceResponse`. Tests read what arrived.
 */

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number };
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface WireSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: KeyValue[];
  status?: { code?: number; message?: string };
}
interface WireRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: WireSpan[] }[] }[];
}
interface MessageType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: { longs: typeof String }): WireRequest;
}
const traceService = (
  generatedRoot as unknown as {
    opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } } } };
  }
).opentelemetry.proto.collector.trace.v1;

export type AttributeValue = string | number | boolean;
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  statusCode: number;
  /** When the request carrying it arrived, in ms since the epoch (the bench's export lag). */
  receivedAtMs: number;
}

export interface OtlpReceiver {
  /** The base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); traces go to `${endpoint}/v1/traces`. */
  endpoint: string;
  spans: ReceivedSpan[];
  /** Export requests received (each a batch). */
  requests: number;
  trace(traceId: string): ReceivedSpan[];
  close(): Promise<void>;
}

const valueOf = (v: AnyValue | undefined): AttributeValue =>
  v?.stringValue ?? v?.boolValue ?? (v?.intValue !== undefined ? Number(v.intValue) : (v?.doubleValue ?? ''));
const attributesOf = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');
const nanosToMs = (nanos: string) => Number(BigInt(nanos) / 1_000_000n);

/** The received request's spans, flattened, each with its resource's attributes. */
export function decodeTraceRequest(body: Uint8Array, receivedAtMs: number): ReceivedSpan[] {
  const request = traceService.ExportTraceServiceRequest.toObject(traceService.ExportTraceServiceRequest.decode(body), {
    longs: String,
  });
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: hex(s.traceId),
        spanId: hex(s.spanId),
        parentSpanId: hex(s.parentSpanId),
        name: s.name,
        startMs: nanosToMs(s.startTimeUnixNano),
        endMs: nanosToMs(s.endTimeUnixNano),
        attributes: attributesOf(s.attributes),
        resource,
        statusCode: s.status?.code ?? 0,
        receivedAtMs,
      })),
    );
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/traces' || req.headers['content-type'] !== 'application/x-protobuf') {
      res.writeHead(415).end();
      return;
    }
    const receivedAtMs = Date.now();
    readBody(req)
      .then((body) => {
        receiver.spans.push(...decodeTraceRequest(body, receivedAtMs));
        receiver.requests += 1;
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      })
      .catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: OtlpReceiver = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: [],
    requests: 0,
    trace: (traceId) => receiver.spans.filter((s) => s.traceId === traceId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
