import type { Db } from 'mongodb';
import { getTurnNodes } from '../store/graphStore';
import { getTurn } from '../store/turnStore';
import type { Tracing } from './tracingSetup';
import { turnSpans } from './turnSpans';

/**
 * Sends a finished turn's trace: called once the turn is recorded finished, by whichever worker
 * finishes it. Everything comes from the store, so a turn that lost its worker halfway still
 * arrives whole; the spans go through the process's batch processor (no wait on the receiver).
 */
export async function exportTurnTrace(tracing: Tracing, db: Db, sessionId: string, turnId: string): Promise<void> {
  const [turn, nodes] = await Promise.all([getTurn(db, turnId), getTurnNodes(db, sessionId, turnId)]);
  if (!turn) return;
  for (const span of turnSpans(turn, nodes, tracing.resource, tracing.withContent)) tracing.spanProcessor.onEnd(span);
}
