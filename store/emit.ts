import type { Db } from 'mongodb';
import {
  ChatEventData, chatStream, ExecutionEventData, executionStream, META_STREAM, MetaEventData, NodeSummary,
} from '../domain/events';
import type { ExecutionNode } from '../domain/execution';
import { appendEvent } from './eventLog';

/** Events are validated when sent (and again when received by the web client). */
export async function emitChatEvent(db: Db, sessionId: string, key: string, data: ChatEventData): Promise<void> {
  await appendEvent(db, chatStream(sessionId), key, ChatEventData.parse(data));
}

export async function emitExecutionEvent(db: Db, sessionId: string, key: string, data: ExecutionEventData): Promise<void> {
  await appendEvent(db, executionStream(sessionId), key, ExecutionEventData.parse(data));
}

/** Store first, then push: every meta event is validated against the catalog. */
export async function emitMetaEvent(db: Db, key: string, data: MetaEventData): Promise<void> {
  await appendEvent(db, META_STREAM, key, MetaEventData.parse(data));
}

/** What events carry of a node: everything but its session and payloads (which may be large). */
export function summariseNode(
  { session_id: _s, input: _i, output: _o, ...summary }: Omit<ExecutionNode, 'input' | 'output'> & Partial<Pick<ExecutionNode, 'input' | 'output'>>,
): NodeSummary {
  return summary;
}
