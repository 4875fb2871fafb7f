import type { Db } from 'mongodb';
import type { ExecutionNode } from '../domain/execution';
import type { TurnDoc } from '../store/collections';
import { getTurnNodes } from '../store/graphStore';
import { getMessage } from '../store/messageStore';
import { getTurn } from '../store/turnStore';
import type { Tracing } from './tracingSetup';
import { turnSpans } from './turnSpans';

/**
 * Sends a finished turn's (or replay's) trace, by whichever worker finishes it. Everything comes
 * from the store, so a turn that lost its worker halfway still arrives whole; the spans go
 * through the process's batch processor (the turn does not wait for the receiver).
 */

function send(tracing: Tracing, turn: TurnDoc, nodes: ExecutionNode[]) {
  for (const span of turnSpans(turn, nodes, tracing.resource, tracing.withContent)) tracing.spanProcessor.onEnd(span);
}

/**
 * A chat turn, once it is recorded finished. Its root begins when the person's message was
 * stored (the API starts the workflow then), not when a worker picked the turn up.
 */
export async function exportTurnTrace(tracing: Tracing, db: Db, sessionId: string, turnId: string): Promise<void> {
  const [turn, nodes] = await Promise.all([getTurn(db, turnId), getTurnNodes(db, sessionId, turnId)]);
  if (!turn) return;
  const userMessageId = nodes.find((n) => n.type === 'user_input')?.chat_message_ids[0];
  const sent = userMessageId ? (await getMessage(db, userMessageId))?.timestamp : undefined;
  send(tracing, sent && sent < turn.started_at ? { ...turn, started_at: sent } : turn, nodes);
}

/** A replay keeps no turn record: its one node says when it ran and how it ended. */
export async function exportReplayTrace(
  tracing: Tracing,
  db: Db,
  ctx: { sessionId: string; turnId: string; workflowId: string },
): Promise<void> {
  const nodes = await getTurnNodes(db, ctx.sessionId, ctx.turnId);
  if (nodes.length === 0) return;
  const replay: TurnDoc = {
    _id: ctx.turnId,
    session_id: ctx.sessionId,
    workflow_id: ctx.workflowId,
    kind: 'replay',
    status: nodes.some((n) => n.status === 'error') ? 'failed' : 'completed',
    started_at: nodes[0].started_at ?? nodes[0].created_at,
    ended_at: nodes[nodes.length - 1].ended_at,
    duration_ms: null,
    model: null,
  };
  send(tracing, replay, nodes);
}
