import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { z } from 'zod';
import { sendChecked } from '../api/ws/channelSend';
import { ChatEventMessage, ExecutionEventMessage } from '../domain/channels';
import { nodeSummary } from '../domain/events';
import { executionNode } from '../domain/execution';

/**
 * What the schema check of every channel message (api/ws/channelSend.ts) costs on the hot path:
 * a token event per model token, a node event per node start and finish. Each message is sent
 * to a socket that only counts bytes, checked (`sendChecked`) and unchecked (what it would cost
 * without the check: serialise and send), in alternating rounds so machine load hits both alike.
 * Run: `node --no-node-snapshot --import tsx bench/channelSendCost.ts`.
 */
const ROUNDS = 7;
const PER_ROUND = 50_000;

const socket = {
  readyState: WebSocket.OPEN,
  bytes: 0,
  send(frame: string) {
    this.bytes += frame.length;
  },
};

const node = nodeSummary(
  executionNode({
    id: 'sess-7f3a:turn-12:n-4',
    type: 'response',
    status: 'success',
    started_at: '2026-12-07T15:01:02.123Z',
    ended_at: '2026-12-07T15:01:04.456Z',
    duration_ms: 2333,
    chat_message_ids: ['msg-a1b2c3'],
    parent_node_id: 'sess-7f3a:turn-12:n-3',
    version: '3f9c2a1b7d4e',
    session_id: 'sess-7f3a',
    turn_id: 'sess-7f3a:turn-12',
    label: 'Answer',
    error: null,
    component: 'responder',
    workflow_id: 'chat-turn:sess-7f3a:turn-12',
    token_usage: { input_tokens: 812, output_tokens: 164 },
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    created_at: '2026-12-07T15:01:02.120Z',
  }),
);

interface Case<S extends z.ZodType> {
  name: string;
  schema: S;
  message: z.input<S>;
}
const cases = [
  {
    name: 'token',
    schema: ChatEventMessage,
    message: {
      type: 'chat_event',
      session_id: 'sess-7f3a',
      seq: 4812,
      data: { type: 'token', message_id: 'msg-a1b2c3', delta: ' lighthouse', attempt: 1 },
    },
  } satisfies Case<typeof ChatEventMessage>,
  {
    name: 'node_completed',
    schema: ExecutionEventMessage,
    message: { type: 'execution_event', session_id: 'sess-7f3a', seq: 97, data: { type: 'node_completed', node } },
  } satisfies Case<typeof ExecutionEventMessage>,
];

/** CPU µs and wall µs per message over `n` sends. */
function measure(n: number, send: () => void): { cpuUs: number; wallUs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) send();
  const wallUs = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / n, wallUs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench<S extends z.ZodType>({ name, schema, message }: Case<S>) {
  const variants = {
    unchecked: () => socket.send(JSON.stringify(message)),
    checked: () => sendChecked(socket, schema, message),
  };
  for (const send of Object.values(variants)) measure(PER_ROUND, send); // warm-up (JIT)
  const runs = { unchecked: [] as { cpuUs: number; wallUs: number }[], checked: [] as { cpuUs: number; wallUs: number }[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.unchecked.push(measure(PER_ROUND, variants.unchecked));
    runs.checked.push(measure(PER_ROUND, variants.checked));
  }
  const figures = (variant: keyof typeof runs) => {
    const cpuUs = median(runs[variant].map((r) => r.cpuUs));
    return {
      cpu_us_per_message: +cpuUs.toFixed(2),
      messages_per_s: Math.round(1e6 / median(runs[variant].map((r) => r.wallUs))),
    };
  };
  const unchecked = figures('unchecked');
  const checked = figures('checked');
  return {
    message: name,
    bytes: JSON.stringify(message).length,
    unchecked,
    checked,
    check_cpu_us: +(checked.cpu_us_per_message - unchecked.cpu_us_per_message).toFixed(2),
  };
}

const results = cases.map((c) => bench(c as Case<z.ZodType>));
console.log(JSON.stringify({ load_average_1m: +os.loadavg()[0].toFixed(2), results }, null, 2));
