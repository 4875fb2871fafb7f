import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { chatStream, executionStream } from '../domain/events';
import type { TestStack } from '../harness/stack';

/**
 * A bench client's view of a session's /ws/chat or /ws/execution socket: every event's seq, and
 * when each turn's graph_updated (its last event) arrived. No value import of the test stack, so
 * a stack process of another code tree (bench/turnCost.ts) can use it beside that tree's stack.
 */
const TURN_TIMEOUT_MS = 900_000;

/** One socket's received events, checked against the store once the turns are done. */
export interface StreamWatch {
  stream: string;
  socket: WebSocket;
  startSeq: number;
  seqs: number[];
  finished: Map<string, number>; // turn id → when its graph_updated arrived (execution sockets)
}

export function watch(stack: TestStack, kind: 'chat' | 'execution', sessionId: string): Promise<StreamWatch> {
  const socket = new WebSocket(`${stack.wsUrl}/ws/${kind}/${sessionId}?token=${stack.token}`);
  const w: StreamWatch = {
    stream: kind === 'chat' ? chatStream(sessionId) : executionStream(sessionId),
    socket,
    startSeq: -1,
    seqs: [],
    finished: new Map(),
  };
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      if (m.type === 'initial_state') {
        w.startSeq = m.data.last_seq;
        resolve(w);
      } else if (m.seq !== undefined) {
        w.seqs.push(m.seq);
        if (m.data?.type === 'graph_updated') w.finished.set(m.data.turn_id, performance.now());
      }
    });
  });
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs = TURN_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for a socket to see its turn finish');
    await new Promise((r) => setTimeout(r, 20));
  }
}
