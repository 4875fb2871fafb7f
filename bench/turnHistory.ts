import { temporal as proto } from '@temporalio/proto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { chatTurnWorkflowId } from '../domain/workflowContracts';
import { collections } from '../store/collections';
import { stopTestServers } from '../harness/servers';
import { api } from '../harness/client';
import { startTestStack, type TestStack } from '../harness/stack';
import { parsePrometheusText, samplesOf } from '../harness/prometheusText';
import { ACTIVITY_PROFILES } from '../workflows/activityProfiles';
import { HEARTBEAT_EVERY_MS } from '../activities/heartbeats';
import { ownServers } from './stackProcess';
import { stats } from './stats';
import { watch, waitFor, type StreamWatch } from './streamWatch';

/**
 * What an offline chat turn costs Temporal, counted rather than timed: the events of each turn's
 * workflow history (by type; workflow tasks, activity tasks, local-activity markers), and every
 * request the stack (API and worker) made of the Temporal server while the turns ran, with the
 * server's own persistence requests behind them, read off the dev server's Prometheus endpoint.
 * One turn alone, then a burst of sessions sending at once; each turn is sent through the API and
 * watched on /ws/execution, as a console would, and the bench waits for the workflows' ends on the
 * server's metrics, so no request of its own is counted (it reads the histories after).
 *
 *   node --no-node-snapshot --import tsx bench/turnHistory.ts [--sessions 8] [--token-delay-ms 0] [--content 'write a long story please']
 *
 * A token delay and a long answer make the streamed answer last (its heartbeats are counted);
 * no delay and a sum is the offline turn of bench/turnCost.ts.
 */

type HistoryEvent = proto.api.history.v1.IHistoryEvent;
const { EventType, TimeoutType } = proto.api.enums.v1;
const { History } = proto.api.history.v1;

/** Longer than the interval at which the dev server publishes its counters to /metrics (a second). */
const METRICS_SETTLE_MS = 2000;

const round = (n: number) => Math.round(n * 100) / 100;

/** Per-turn averages of counts summed over the turns, largest first. */
function perTurn(counts: Map<string, number>, turns: number): Record<string, number> {
  return Object.fromEntries(
    [...counts]
      .filter(([, n]) => n !== 0)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => [key, round(n / turns)]),
  );
}

const add = (into: Map<string, number>, key: string, n = 1) => into.set(key, (into.get(key) ?? 0) + n);

/** The server's counters by operation: the frontend's requests and every service's persistence requests for this namespace, and visibility's. */
async function serverCounters(metricsUrl: string) {
  const families = parsePrometheusText(await (await fetch(metricsUrl)).text());
  const byOperation = (name: string, labels: Record<string, string>) => {
    const counts = new Map<string, number>();
    for (const s of samplesOf(families, name, labels)) add(counts, s.labels.operation, s.value);
    return counts;
  };
  const inNamespace = { namespace: 'default' };
  const closed = ['workflow_success', 'workflow_failed'].reduce(
    (n, name) => n + samplesOf(families, name, inNamespace).reduce((a, s) => a + s.value, 0),
    0,
  );
  return {
    requests: byOperation('service_requests', { ...inNamespace, service_name: 'frontend' }),
    persistence: byOperation('persistence_requests', inNamespace),
    // Visibility's counters name no namespace: the server's own workflows count too (rarely, while turns run).
    visibility: byOperation('visibility_persistence_requests', {}),
    closed,
  };
}

function difference(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([key, n]) => [key, n - (before.get(key) ?? 0)]));
}

const typeName = (event: HistoryEvent) => EventType[event.eventType ?? 0].replace(/^EVENT_TYPE_/, '');

/** The activity a local-activity marker recorded (its first detail names it), else the marker's name. */
function markerOf(event: HistoryEvent): string {
  const attributes = event.markerRecordedEventAttributes;
  const name = attributes?.markerName ?? '?';
  const data = attributes?.details?.data?.payloads?.[0]?.data;
  if (name !== 'core_local_activity' || !data) return name;
  try {
    return `local activity ${JSON.parse(Buffer.from(data).toString('utf8')).activity_type}`;
  } catch {
    return name;
  }
}

/** Events by type, and what they say of the turn: workflow tasks, activity tasks by type, markers. */
function countHistories(histories: HistoryEvent[][]) {
  const byType = new Map<string, number>();
  const activities = new Map<string, number>();
  const markers = new Map<string, number>();
  for (const event of histories.flat()) {
    add(byType, typeName(event));
    const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled) add(activities, scheduled);
    if (event.markerRecordedEventAttributes) add(markers, markerOf(event));
    const timedOut = event.workflowTaskTimedOutEventAttributes?.timeoutType;
    if (timedOut) add(byType, `${typeName(event)} (${TimeoutType[timedOut]})`);
  }
  const turns = histories.length;
  const workflowTasks = new Map([...byType].filter(([type]) => type.startsWith('WORKFLOW_TASK_')));
  return {
    events: round(histories.reduce((n, h) => n + h.length, 0) / turns),
    bytes: round(histories.reduce((n, events) => n + History.encode({ events }).finish().length, 0) / turns),
    workflow_tasks: perTurn(workflowTasks, turns),
    activity_tasks: perTurn(activities, turns),
    markers: perTurn(markers, turns),
    by_type: perTurn(byType, turns),
  };
}

/** `sessions` fresh sessions each send one message at once; their turns' histories and the server's requests meanwhile. */
async function measureTurns(stack: TestStack, metricsUrl: string, sessions: number, content?: string) {
  const watched: { sessionId: string; execution: StreamWatch }[] = [];
  for (let i = 0; i < sessions; i++) {
    const sessionId = (await api(stack, 'POST', '/api/chat/sessions', { title: `turn history ${i}` })).body.id as string;
    watched.push({ sessionId, execution: await watch(stack, 'execution', sessionId) });
  }
  // The server publishes its counters on an interval: let what came before (the last turns' history reads) land first.
  await new Promise((r) => setTimeout(r, METRICS_SETTLE_MS));
  const before = await serverCounters(metricsUrl);
  const started = performance.now();
  const sent = await Promise.all(
    watched.map(({ sessionId }, i) =>
      api(stack, 'POST', `/api/chat/${sessionId}/message`, { content: content ?? `what is ${i} * ${i} + 1?` }),
    ),
  );
  const turns = sent.map((r, i) => ({ ...watched[i], turnId: r.body.turn_id as string, messageId: r.body.message_id as string }));
  const finished = await Promise.all(turns.map((t) => waitFor(() => t.execution.finished.get(t.turnId))));
  let after = await serverCounters(metricsUrl);
  // The workflows' last task comes after the turn's last event: wait for the server to count them closed.
  while (after.closed - before.closed < sessions) {
    await new Promise((r) => setTimeout(r, 50));
    after = await serverCounters(metricsUrl);
  }
  for (const t of turns) t.execution.socket.close();

  const histories = await Promise.all(
    turns.map(async (t) => {
      const history = await stack.temporal.workflow.getHandle(chatTurnWorkflowId(t.sessionId, t.messageId)).fetchHistory();
      return history.events ?? [];
    }),
  );
  const answers = await collections(stack.mongo.db)
    .nodes.find({ turn_id: { $in: turns.map((t) => t.turnId) }, type: 'response' })
    .toArray();
  const requests = difference(after.requests, before.requests);
  return {
    turns: sessions,
    turn_ms: stats(finished.map((t) => t - started)).p50_ms,
    answer_ms: stats(answers.map((n) => n.duration_ms ?? 0)).p50_ms,
    history: countHistories(histories),
    temporal_requests_per_turn: perTurn(requests, sessions),
    heartbeats_per_turn: round((requests.get('RecordActivityTaskHeartbeat') ?? 0) / sessions),
    persistence_requests_per_turn: perTurn(difference(after.persistence, before.persistence), sessions),
    visibility_requests_per_turn: perTurn(difference(after.visibility, before.visibility), sessions),
  };
}

export async function runTurnHistoryBench(options: { sessions: number; tokenDelayMs: number; content?: string }) {
  const { servers, restore } = await ownServers();
  try {
    const stack = await startTestStack('turn_history', { OFFLINE_TOKEN_DELAY_MS: String(options.tokenDelayMs) });
    try {
      const metricsUrl = servers.temporalMetricsUrl!;
      await measureTurns(stack, metricsUrl, 1, options.content); // warm-up: bundle, sandbox, caches
      return {
        measured_at: new Date().toISOString(),
        load_average_at_start: os.loadavg().map(round),
        token_delay_ms: options.tokenDelayMs,
        content: options.content ?? 'what is i * i + 1? (i: the session)',
        heartbeats: {
          heartbeat_timeout: ACTIVITY_PROFILES.streamedAnswer.heartbeatTimeout,
          // The answer's heartbeats, and the worker's throttle of every activity's.
          every_ms: HEARTBEAT_EVERY_MS,
        },
        single: await measureTurns(stack, metricsUrl, 1, options.content),
        burst: await measureTurns(stack, metricsUrl, options.sessions, options.content),
      };
    } finally {
      await stack.stop();
    }
  } finally {
    await stopTestServers(servers);
    restore();
  }
}

function argument(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  const n = Number(i >= 0 ? argv[i + 1] : fallback);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number`);
  return n;
}

function textArgument(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  runTurnHistoryBench({
    sessions: Math.max(1, argument(argv, '--sessions', 8)),
    tokenDelayMs: argument(argv, '--token-delay-ms', 0),
    content: textArgument(argv, '--content'),
  })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
