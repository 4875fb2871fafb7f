import type { NodeType } from '../domain/enums';
import type { EdgeKind, ExecutionNode } from '../domain/execution';
import { getNode, insertEdgeOnce, insertNodeOnce, updateNode } from '../store/graphStore';
import { currentAttempt } from './attempt';
import type { ActivityDeps, TurnContext } from './deps';
import { emitChatEvent, emitExecutionEvent, summariseNode } from '../store/emit';

export interface NodeSpec {
  id: string;
  type: NodeType;
  label: string;
  parentId: string | null;
  /** Further nodes this one depends on (drawn as extra incoming edges). */
  alsoAfter?: string[];
  input: unknown;
  edgeKind?: EdgeKind;
  component?: { name: string; version: string } | null;
}

export interface NodeRun<T> {
  node: ExecutionNode;
  output: T;
}

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Runs `work` as one node of the execution graph: pending → executing → success | error,
 * each change stored and then pushed. Idempotent: a node that already succeeded (the
 * activity is retried after it finished) returns its stored output without running again.
 */
export async function runAsNode<T>(
  deps: ActivityDeps, ctx: TurnContext, spec: NodeSpec, work: (node: ExecutionNode) => Promise<T>,
): Promise<NodeRun<T>> {
  const { db } = deps;
  const done = await getNode(db, ctx.sessionId, spec.id);
  if (done?.status === 'success') return { node: done, output: done.output as T };

  const attempt = currentAttempt();
  const now = new Date().toISOString();
  await insertNodeOnce(db, {
    id: spec.id, session_id: ctx.sessionId, turn_id: ctx.turnId, type: spec.type, label: spec.label,
    status: 'pending', started_at: null, ended_at: null, duration_ms: null, input: spec.input, output: null,
    error: null, parent_node_id: spec.parentId, chat_message_ids: [], component: spec.component?.name ?? null,
    version: spec.component?.version ?? null, workflow_id: ctx.workflowId, created_at: now,
  });
  const sources = [...(spec.parentId ? [spec.parentId] : []), ...(spec.alsoAfter ?? [])];
  for (const source of sources) {
    const kind = source === spec.parentId ? spec.edgeKind ?? 'flow' : 'flow';
    const edge = {
      id: `${source}->${spec.id}`, session_id: ctx.sessionId, source, target: spec.id,
      kind, label: kind === 'replay' ? 'replay' : null,
    };
    await insertEdgeOnce(db, edge);
    await emitExecutionEvent(db, ctx.sessionId, `edge:${edge.id}`, { type: 'edge_created', edge });
  }

  const startedAt = Date.now();
  let node = await updateNode(db, spec.id, { status: 'executing', started_at: new Date(startedAt).toISOString(), error: null });
  // The execution and chat streams are ordered independently: write both at once.
  await Promise.all([
    emitExecutionEvent(db, ctx.sessionId, `${spec.id}:started:${attempt}`, { type: 'node_started', node: summariseNode(node) }),
    emitChatEvent(db, ctx.sessionId, `${spec.id}:status:executing:${attempt}`, {
      type: 'agent_status', node_id: spec.id, node_type: spec.type, label: spec.label, status: 'executing',
    }),
  ]);

  try {
    const output = await work(node);
    const ended = Date.now();
    node = await updateNode(db, spec.id, {
      status: 'success', output: output ?? null, ended_at: new Date(ended).toISOString(), duration_ms: ended - startedAt,
    });
    await Promise.all([
      emitExecutionEvent(db, ctx.sessionId, `${spec.id}:completed`, { type: 'node_completed', node: summariseNode(node) }),
      emitChatEvent(db, ctx.sessionId, `${spec.id}:status:success`, {
        type: 'agent_status', node_id: spec.id, node_type: spec.type, label: spec.label, status: 'success',
      }),
    ]);
    return { node, output };
  } catch (err) {
    const ended = Date.now();
    node = await updateNode(db, spec.id, {
      status: 'error', error: errorMessage(err), ended_at: new Date(ended).toISOString(), duration_ms: ended - startedAt,
    });
    await Promise.all([
      emitExecutionEvent(db, ctx.sessionId, `${spec.id}:failed:${attempt}`, { type: 'node_failed', node: summariseNode(node) }),
      emitChatEvent(db, ctx.sessionId, `${spec.id}:status:error:${attempt}`, {
        type: 'agent_status', node_id: spec.id, node_type: spec.type, label: spec.label, status: 'error',
      }),
    ]);
    throw err;
  }
}
