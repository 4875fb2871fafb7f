import { waitUntil } from '../../harness/client';
import type { OtlpReceiver, ReceivedSpan } from '../../harness/otlpReceiver';

/**
 * Reading a trace off the test receiver: spans leave each process in batches, so a test waits
 * until the trace has what it expects, then until no more spans arrive, before it checks it.
 */
export async function settledTrace(
  receiver: OtlpReceiver,
  traceId: string,
  complete: (spans: ReceivedSpan[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReceivedSpan[]> {
  await waitUntil(`the trace ${traceId}`, async () => complete(receiver.trace(traceId)), timeoutMs);
  let count = -1;
  await waitUntil('the trace to settle', async () => {
    const settled = receiver.trace(traceId).length === count;
    count = receiver.trace(traceId).length;
    await new Promise((r) => setTimeout(r, 1000));
    return settled;
  });
  return receiver.trace(traceId);
}

/** Spans whose parent never arrived (a trace in pieces). */
export function orphans(spans: ReceivedSpan[]): string[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).map((s) => s.name);
}
