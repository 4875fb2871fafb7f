import os from 'node:os';
import { stopTestServers } from '../harness/servers';
import { startOtlpReceiver, type OtlpReceiver } from '../harness/otlpReceiver';
import { dbBackendFrom } from '../scripts/lib/embeddedDatabase';
import { turnTraceId } from '../telemetry/traceIds';
import {
  alternateBursts,
  burstFigures,
  ownServers,
  startStackProcess,
  THIS_TREE,
  type Burst,
  type StackProcess,
} from './stackProcess';
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

/** Until the burst's turns have their root span (the exporting stack) and SETTLE_MS has passed. */
async function settle(receiver: OtlpReceiver, exporting: StackProcess, stack: StackProcess, burst: Burst) {
  const until = Date.now() + SETTLE_MS;
  const complete = (turnId: string) => traceOf(receiver, turnId).some((s) => s.name === ROOT_SPAN);
  while (Date.now() < until || (stack === exporting && !burst.turnIds.every(complete)))
    await new Promise((r) => setTimeout(r, 100));
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
  const { servers, restore } = await ownServers();
  const stacks: StackProcess[] = [];
  try {
    const loadAverage = os.loadavg();
    stacks.push(
      await startStackProcess({
        label: 'export_off',
        tree: THIS_TREE,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined },
      }),
      await startStackProcess({ label: 'export_on', tree: THIS_TREE, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } }),
    );
    const [off, on] = stacks;
    const totals = await alternateBursts(servers, stacks, {
      ...options,
      settle: (stack, burst) => settle(receiver, on, stack, burst),
    });
    return {
      how:
        `Offline model, no token delay; bursts of ${options.sessions} sessions sending one message at once, each watched on /ws/execution, ` +
        `${options.rounds} bursts per stack after a warm-up, the stack without an OTLP endpoint and the one exporting to a local ` +
        `OTLP/HTTP receiver alternating burst by burst on the same servers; each burst's CPU window ends ${SETTLE_MS / 1000} s after ` +
        "it (and not before its traces arrived), alike for both. Export lag: from graph_updated on the socket to the last span of the turn's trace received.",
      backend: dbBackendFrom(process.env),
      load_average_at_start: loadAverage.map((n) => Math.round(n * 100) / 100),
      export_off: burstFigures(totals.get(off.label)!),
      export_on: {
        ...burstFigures(totals.get(on.label)!),
        ...exportFigures(receiver, totals.get(on.label)!.bursts, (options.rounds + 1) * options.sessions),
      },
    };
  } finally {
    for (const s of stacks) s.child.kill('SIGTERM');
    await stopTestServers(servers);
    restore();
    await receiver.close();
  }
}
