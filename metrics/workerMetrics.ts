import { Counter, Histogram, Registry } from 'prom-client';
import type { TurnStatus } from '../domain/events';
import type { NodeStatus, NodeType } from '../domain/enums';
import type { SandboxResult } from '../sandbox/contract';
import { createTurnMinutes } from './turnMinutes';

/**
 * What a worker process observes as it works: turns, steps, model calls and sandbox calls. One
 * registry per process (prom-client's own habit: metrics live at module scope), published to the
 * store as a cumulative snapshot (snapshotPublisher.ts) and summed over every worker by the API's
 * /metrics (api/metrics/scrape.ts). Label values come from closed sets only (enums, outcomes), so
 * the number of series is bounded whatever the traffic.
 */
export const workerRegistry = new Registry();
/** The same process's finished turns of the last hour, minute by minute, published beside the registry. */
export const workerTurnMinutes = createTurnMinutes();

const SECONDS = 'seconds';
/** Turns and model calls take from tens of milliseconds (offline) to minutes (a slow endpoint). */
const LONG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** A step is often a sandboxed component call of a few milliseconds. */
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const turns = new Counter({
  name: 'evoscope_turns_total',
  help: 'Chat turns finished, by outcome (completed, failed, stopped).',
  labelNames: ['outcome'] as const,
  registers: [workerRegistry],
});
const turnDuration = new Histogram({
  name: `evoscope_turn_duration_${SECONDS}`,
  help: 'Wall time of a chat turn, from its start to its last node, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: LONG_BUCKETS,
  registers: [workerRegistry],
});
const stepDuration = new Histogram({
  name: `evoscope_step_duration_${SECONDS}`,
  help: 'Wall time of one execution node (a step of a turn), by node type and status (success, error).',
  labelNames: ['node_type', 'status'] as const,
  buckets: STEP_BUCKETS,
  registers: [workerRegistry],
});
const modelCallDuration = new Histogram({
  name: `evoscope_model_call_duration_${SECONDS}`,
  help: 'Latency of one call to a model, by operation (complete, call_functions, stream_answer), kind (endpoint, offline) and outcome (ok, error).',
  labelNames: ['operation', 'model_kind', 'outcome'] as const,
  buckets: LONG_BUCKETS,
  registers: [workerRegistry],
});
const modelTokens = new Counter({
  name: 'evoscope_model_tokens_total',
  help: 'Tokens an endpoint reported using, by type (input, output); the offline model reports none.',
  labelNames: ['type'] as const,
  registers: [workerRegistry],
});
const sandboxCalls = new Counter({
  name: 'evoscope_sandbox_calls_total',
  help: 'Component runs in the sandbox, by caller (turn, suite) and outcome (ok, timeout, memory, error, output_too_large, invalid_component).',
  labelNames: ['caller', 'outcome'] as const,
  registers: [workerRegistry],
});

/** A turn this process recorded started, at `startedAtMs`. */
export function observeTurnStarted(startedAtMs: number): void {
  workerTurnMinutes.recordStart(startedAtMs);
}

/** A turn this process finished, `durationMs` long, at `endedAtMs` (now, as it is recorded). */
export function observeTurn(outcome: Exclude<TurnStatus, 'running'>, durationMs: number, endedAtMs = Date.now()): void {
  turns.inc({ outcome });
  turnDuration.observe({ outcome }, durationMs / 1000);
  workerTurnMinutes.record(outcome === 'failed', durationMs, endedAtMs);
}

export function observeStep(nodeType: NodeType, status: Extract<NodeStatus, 'success' | 'error'>, durationMs: number): void {
  stepDuration.observe({ node_type: nodeType, status }, durationMs / 1000);
}

export type ModelOperation = 'complete' | 'call_functions' | 'stream_answer';
export function observeModelCall(
  operation: ModelOperation,
  modelKind: 'endpoint' | 'offline',
  ok: boolean,
  seconds: number,
): void {
  modelCallDuration.observe({ operation, model_kind: modelKind, outcome: ok ? 'ok' : 'error' }, seconds);
}

export function observeModelTokens(input: number, output: number): void {
  modelTokens.inc({ type: 'input' }, input);
  modelTokens.inc({ type: 'output' }, output);
}

export function observeSandboxCall(caller: 'turn' | 'suite', result: SandboxResult): void {
  sandboxCalls.inc({ caller, outcome: result.ok ? 'ok' : result.failure });
}
