import { Gauge, Histogram, Registry } from 'prom-client';

/**
 * What this API process observes itself: how late events reach subscribers and how many
 * subscriptions are open. Module scope, as prom-client has it: one process, one set of figures,
 * however many apps a test builds. The label is the stream's kind (chat, execution, meta), never
 * its id, so the series stay few.
 */
export const feedRegistry = new Registry();

const eventPushLag = new Histogram({
  name: 'evoscope_event_push_lag_seconds',
  help: 'Time from an event being stored to this API process reading it for its subscribers, by stream kind.',
  labelNames: ['stream_kind'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [feedRegistry],
});
const openSubscriptions = new Gauge({
  name: 'evoscope_open_subscriptions',
  help: 'Event stream subscriptions open on this API process (WebSocket channels and GraphQL subscriptions), by stream kind.',
  labelNames: ['stream_kind'] as const,
  registers: [feedRegistry],
});

/** `chat:<session>` → chat; `meta` → meta. */
const kindOf = (stream: string) => stream.split(':', 1)[0];

export function observePushLag(stream: string, storedAt: string, now = Date.now()): void {
  eventPushLag.observe({ stream_kind: kindOf(stream) }, Math.max(0, now - Date.parse(storedAt)) / 1000);
}

/** Counts a subscription open until the returned function is called. */
export function openSubscription(stream: string): () => void {
  const labels = { stream_kind: kindOf(stream) };
  openSubscriptions.inc(labels);
  return () => openSubscriptions.dec(labels);
}
