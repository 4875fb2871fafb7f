import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { api, openChannel, waitForTurn, waitUntil, type SocketRecorder } from '../../harness/client';
import { parsePrometheusText, sampleSum, sampleValue } from '../../harness/prometheusText';
import { rawRequest } from '../support/rawHttp';
import { startTestStack, TestStack } from '../../harness/stack';

/** /metrics after a real turn: parsed strictly, each figure checked against what the store recorded. */
let stack: TestStack;
let metricsPort: number;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  metricsPort = await freePort();
  stack = await startTestStack('metrics', { EVOSCOPE_METRICS_ADDRESS: String(metricsPort) });
});
afterAll(async () => {
  await stack?.stop();
});

const scrape = async (base = stack.baseUrl, token: string | null = stack.token) => {
  const res = await fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};
const scrapeParsed = async () => parsePrometheusText((await scrape()).text);

test('refuses a scrape without the token, or with a wrong one', async () => {
  for (const token of [null, 'wrong-token-0123456789']) {
    const res = await scrape(stack.baseUrl, token);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('evoscope_');
  }
});

test('GET /api/system/activity: 401 without the token or with a wrong one, 403 for a foreign Host even with it', async () => {
  for (const authorization of [null, 'Bearer wrong-token-0123456789']) {
    const res = await rawRequest(stack.baseUrl, '/api/system/activity', { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('minutes');
  }
  const foreign = await rawRequest(stack.baseUrl, '/api/system/activity', {
    headers: { host: 'evil.example:80', authorization: `Bearer ${stack.token}` },
  });
  expect(foreign.status).toBe(403);
  expect(foreign.body).not.toContain('minutes');
});

test('after a turn, /metrics counts it, its steps, its model call and its sandbox calls as the store recorded them', async () => {
  const session = (await api(stack, 'POST', '/api/chat/sessions', { title: 'metrics' })).body;
  let chat: SocketRecorder | null = null;
  try {
    chat = await openChannel(stack, `/ws/chat/${session.id}`);
    const open = await waitUntil('the chat subscription counted', async () => {
      const families = await scrapeParsed();
      return sampleValue(families, 'evoscope_open_subscriptions', { stream_kind: 'chat' }) === 1 ? families : null;
    });
    expect(open.get('evoscope_open_subscriptions')!.type).toBe('gauge');

    const sent = (await api(stack, 'POST', `/api/chat/${session.id}/message`, { content: 'what is 6*7' })).body;
    const turn = await waitForTurn(stack, sent.turn_id);
    expect(turn.status).toBe('completed');
    // The worker publishes its figures every two seconds.
    const families = await waitUntil('the turn in /metrics', async () => {
      const f = await scrapeParsed();
      return sampleValue(f, 'evoscope_turns_total', { outcome: 'completed' }) === 1 ? f : null;
    });

    const typeOf = (name: string) => families.get(name)?.type;
    expect(typeOf('evoscope_turns_total')).toBe('counter');
    expect(typeOf('evoscope_turn_duration_seconds')).toBe('histogram');
    expect(typeOf('evoscope_step_duration_seconds')).toBe('histogram');
    expect(typeOf('evoscope_model_call_duration_seconds')).toBe('histogram');
    expect(typeOf('evoscope_sandbox_calls_total')).toBe('counter');
    expect(typeOf('evoscope_event_push_lag_seconds')).toBe('histogram');
    for (const name of [
      'evoscope_experiments_total',
      'evoscope_promotions_total',
      'evoscope_rollbacks_total',
      'evoscope_supervised_restarts_total',
    ])
      expect(typeOf(name)).toBe('counter');

    // The turn: one observation, its duration as stored, in every bucket at or above it.
    expect(sampleValue(families, 'evoscope_turn_duration_seconds_count', { outcome: 'completed' })).toBe(1);
    expect(sampleValue(families, 'evoscope_turn_duration_seconds_sum', { outcome: 'completed' })).toBeCloseTo(
      turn.duration_ms / 1000,
      6,
    );
    expect(sampleValue(families, 'evoscope_turn_duration_seconds_bucket', { outcome: 'completed', le: '+Inf' })).toBe(1);
    expect(sampleValue(families, 'evoscope_turn_duration_seconds_bucket', { outcome: 'completed', le: '0.05' })).toBe(
      turn.duration_ms <= 50 ? 1 : 0,
    );

    // Steps: one observation per finished node of the turn, by type.
    const nodes = await stack.mongo.db.collection('execution_nodes').find({ turn_id: sent.turn_id }).toArray();
    expect(nodes.length).toBeGreaterThan(2);
    expect(sampleSum(families, 'evoscope_step_duration_seconds_count')).toBe(nodes.length);
    for (const type of new Set(nodes.map((n) => n.type as string)))
      expect(sampleSum(families, 'evoscope_step_duration_seconds_count', { node_type: type, status: 'success' })).toBe(
        nodes.filter((n) => n.type === type).length,
      );

    // The answer was streamed by the offline model once; components ran in the sandbox, all fine.
    expect(
      sampleValue(families, 'evoscope_model_call_duration_seconds_count', {
        operation: 'stream_answer',
        model_kind: 'offline',
        outcome: 'ok',
      }),
    ).toBe(1);
    const componentNodes = nodes.filter((n) => n.component !== null).length;
    expect(componentNodes).toBeGreaterThan(0);
    expect(sampleValue(families, 'evoscope_sandbox_calls_total', { caller: 'turn', outcome: 'ok' })).toBe(componentNodes);
    expect(sampleSum(families, 'evoscope_sandbox_calls_total', { caller: 'turn' })).toBe(componentNodes);

    // The chat events of the turn were pushed to the open subscription, each with its lag.
    expect(sampleValue(families, 'evoscope_event_push_lag_seconds_count', { stream_kind: 'chat' })).toBeGreaterThan(0);
    expect(sampleValue(families, 'evoscope_rollbacks_total')).toBe(0);

    // The Trends tab's last hour reads the same publication: the turn, in the minute it finished, with its duration.
    const minutes = (await api(stack, 'GET', '/api/system/activity')).body.minutes as {
      at: string;
      turns: number;
      p50_turn_ms: number;
    }[];
    const shown = minutes.filter((m) => m.turns > 0);
    expect(shown).toEqual([expect.objectContaining({ turns: 1, p50_turn_ms: turn.duration_ms })]);
    // The worker counts it as it records it finished: in the minute of ended_at, or the next by a hair.
    const sinceMinute = Date.parse(turn.ended_at) - Date.parse(shown[0].at);
    expect(sinceMinute).toBeGreaterThan(-1000);
    expect(sinceMinute).toBeLessThan(60_000);

    // The live figures of the last five minutes read it too: started and finished in the window, alone in the store.
    const { runs } = (await api(stack, 'GET', '/api/system/metrics')).body;
    expect(runs).toMatchObject({
      runs_in_progress: 0,
      total_turns: 1,
      avg_turn_ms: turn.duration_ms,
      p95_turn_ms: turn.duration_ms,
      error_rate: 0,
    });
    expect(runs.turns_per_minute).toBeGreaterThanOrEqual(1 / 5);
    expect(runs.turns_per_minute).toBeLessThanOrEqual(1 / 4);
  } finally {
    chat?.close();
  }
  await waitUntil('the closed subscription no longer counted', async () => {
    const families = await scrapeParsed();
    return sampleValue(families, 'evoscope_open_subscriptions', { stream_kind: 'chat' }) === 0;
  });
});

test('EVOSCOPE_METRICS_ADDRESS serves the same figures without the token, on loopback, and nothing else', async () => {
  const local = `http://127.0.0.1:${metricsPort}`;
  const res = await scrape(local, null);
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusText(res.text);
  expect([...families.keys()]).toEqual(expect.arrayContaining(['evoscope_turns_total', 'evoscope_open_subscriptions']));
  expect((await fetch(`${local}/api/chat/sessions`)).status).toBe(404);
  expect((await rawRequest(local, '/metrics', { headers: { host: 'evil.example:80' } })).status).toBe(403);
});
