import os from 'node:os';
import { startOtlpReceiver, type OtlpReceiver } from '../harness/otlpReceiver';
import { dbBackendFrom } from '../scripts/lib/embeddedDatabase';
import { turnTraceId } from '../telemetry/traceIds';
import { alternateOwnStacks, burstFigures, THIS_TREE, type Burst } from './stackProcess';
import { stats } from './stats';

/**
 * What exporting traces costs a turn (issue 19): two stacks of this tree on the same servers,
 * one with no OTLP endpoint, one with OTEL_EXPORTER_OTLP_ENDPOINT at a real OTLP/HTTP receiver
 * in this process (harness/otlpReceiver.ts decodes the protobuf as a collector would), taking
 * turns burst by burst (bench/stackProcess.ts). Each: turn p50/p99 and CPU per turn by program;
 * the exporting one also spans per turn and the export lag, from the turn's graph_updated on
 * the console's socket to the last span of its trace arriving. The exporter keeps its default
 * batching (OTEL_BSP_SCHEDULE_DELAY 5 s), as a deployment gets it: most of the lag is that wait.
 */
/**
 * Every burst's CPU window runs this long past its end, for both stacks alike: longer than the
 * batch delay, so the exporting stack's export of the burst is counted in its own burst.
 */
const SETTLE_MS = 6_000;
/** Sent with the turn's node spans, once the turn is recorded finished (telemetry/turnTraceExport.ts). */
const ROOT_SPAN = 'chat turn';

export interface TraceExportOptions {
  rounds: number;
  sessions: number;
}

const traceOf = (receiver: OtlpReceiver, turnId: string) => receiver.trace(turnTraceId(turnId));

/** Until SETTLE_MS has passed and, on the exporting stack, the burst's turns have their root span. */
async function settle(receiver: OtlpReceiver, exporting: boolean, burst: Burst) {
  const until = Date.now() + SETTLE_MS;
  const complete = (turnId: string) => traceOf(receiver, turnId).some((s) => s.name === ROOT_SPAN);
  while (Date.now() < until || (exporting && !burst.turnIds.every(complete))) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Spans per turn (in the turn's trace, and received in all over every turn the stack ran, warm-up
 * included: spans outside the turn's trace count there), and the lag from each turn finishing
 * to the last span of its trace arriving.
 */
function exportFigures(receiver: OtlpReceiver, bursts: Burst[], turnsRun: number) {
  const traces = bursts.flatMap((b) =>
    b.turnIds.map((turnId, i) => ({ spans: traceOf(receiver, turnId), finishedAt: b.finishedAt[i] })),
  );
  const spans = traces.map((t) => t.spans.length);
  const lag = stats(traces.map((t) => Math.max(...t.spans.map((s) => s.receivedAtMs)) - t.finishedAt));
  return {
    spans_in_turn_trace: {
      min: Math.min(...spans),
      mean: Math.round((spans.reduce((a, b) => a + b, 0) / spans.length) * 100) / 100,
      max: Math.max(...spans),
    },
    spans_received_per_turn: Math.round((receiver.spans.length / turnsRun) * 100) / 100,
    export_lag_p50_ms: lag.p50_ms,
    export_lag_p99_ms: lag.p99_ms,
  };
}

export async function runTraceExportBench(options: TraceExportOptions) {
  const receiver = await startOtlpReceiver();
  try {
    const loadAverage = os.loadavg();
    const [off, on] = ['export_off', 'export_on'];
    const totals = await alternateOwnStacks(
      [
        {
          label: off,
          tree: THIS_TREE,
          env: { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined },
        },
        { label: on, tree: THIS_TREE, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } },
      ],
      { ...options, settle: (stack, burst) => settle(receiver, stack.label === on, burst) },
    );
    return {
      how:
        `Offline model, no token delay; bursts of ${options.sessions} sessions sending one message at once, each watched on /ws/execution, ` +
        `${options.rounds} bursts per stack after a warm-up, the stack without an OTLP endpoint and the one exporting to a local ` +
        `OTLP/HTTP receiver alternating burst by burst on the same servers; each burst's CPU window ends ${SETTLE_MS / 1000} s after ` +
        "it (and not before its traces arrived), alike for both. Export lag: from graph_updated on the socket to the last span of the turn's trace received.",
      backend: dbBackendFrom(process.env),
      load_average_at_start: loadAverage.map((n) => Math.round(n * 100) / 100),
      export_off: burstFigures(totals.get(off)!),
      export_on: {
        ...burstFigures(totals.get(on)!),
        ...exportFigures(receiver, totals.get(on)!.bursts, (options.rounds + 1) * options.sessions),
      },
    };
  } finally {
    await receiver.close();
  }
}
