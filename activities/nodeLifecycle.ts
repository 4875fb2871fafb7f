import type { NodeType } from '../domain/enums';
import { executionEdge, executionNode, type EdgeKind, type TokenUsage } from '../domain/execution';
import { getNode, insertEdgeOnce, insertNodeOnce, positionFor, updateNode } from '../store/graphStore';
import { assertAttemptCurrent, currentAttempt } from './attempt';
import type { TurnContext } from '../domain/turnContracts';
import type { ActivityDeps } from './deps';
import { nodeSummary } from '../domain/events';
import { emitSessionEvents, holdSessionEvents, type SessionEvent } from '../store/emit';
import type { ChatEventData } from '../domain/events';
import type { ExecutionNode } from '../domain/execution';
import { nodeTraceIds } from '../telemetry/traceIds';
import { observeStep } from '../metrics/workerMetrics';

export interface NodeSpec<T = unknown> {
  id: string;
  type: NodeType;
  label: string;
  parentId: string | null;
  /** Further nodes this one depends on (drawn as extra incoming edges). */
  alsoAfter?: string[];
  input: unknown;
  edgeKind?: EdgeKind;
  component?: { name: string; version: string } | null;
  /** The label once the node succeeded, when its output says more (a decision names what it decided). */
  labelOf?: (output: T) => string;
  /** The tokens of the node's model call, when its output carries them (kept on the node as token_usage). */
  usageOf?: (output: T) => TokenUsage | undefined;
}

export interface NodeRun<T> {
  output: T;
}

/** The chat's view of a node's status change. */
const agentStatus = (
  spec: Pick<NodeSpec, 'id' | 'type' | 'label'>,
  status: 'executing' | 'success' | 'error',
): ChatEventData => ({
  type: 'agent_status',
  node_id: spec.id,
  node_type: spec.type,
  label: spec.label,
  status,
});

/**
 * A node's success, announced (node_completed, agent_status) with the activity's next append:
 * in an activity, held until the next node's start or the activity's end (store/emit.ts).
 */
const announceSuccess = (
  deps: ActivityDeps,
  ctx: TurnContext,
  spec: Pick<NodeSpec, 'id' | 'type' | 'label'>,
  node: Omit<ExecutionNode, 'input' | 'output'>,
) =>
  holdSessionEvents(deps.db, ctx.sessionId, [
    { stream: 'execution', key: `${spec.id}:completed`, data: { type: 'node_completed', node: nodeSummary(node) } },
    { stream: 'chat', key: `${spec.id}:status:success`, data: agentStatus(spec, 'success') },
  ]);

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Runs `work` as one node of the execution graph: executing → success | error, each change
 * stored (one document: an insert at the start, one update at the end) and then pushed; the
 * success is pushed with the activity's next append (`announceSuccess`). Idempotent: a node that
 * already succeeded (the step runs again after it finished: a retried activity, a re-run local
 * activity) announces its success again (stored once, by key) and returns its stored output.
 * The first attempt creates the node already executing (one write); a later one finds it.
 */
export async function runAsNode<T>(
  deps: ActivityDeps,
  ctx: TurnContext,
  spec: NodeSpec<T>,
  work: () => Promise<T>,
): Promise<NodeRun<T>> {
  const { db } = deps;
  const attempt = currentAttempt();
  const startedAt = Date.now();
  const executing = { status: 'executing', started_at: new Date(startedAt).toISOString(), error: null } as const;
  const record = {
    id: spec.id,
    session_id: ctx.sessionId,
    turn_id: ctx.turnId,
    type: spec.type,
    label: spec.label,
    ...executing,
    ended_at: null,
    duration_ms: null,
    input: spec.input,
    output: null,
    parent_node_id: spec.parentId,
    chat_message_ids: [],
    component: spec.component?.name ?? null,
    version: spec.component?.version ?? null,
    workflow_id: ctx.workflowId,
    ...(deps.tracing ? nodeTraceIds(ctx.turnId, spec.id) : {}),
    created_at: new Date(startedAt).toISOString(),
  };
  const fresh = { ...record, position: await positionFor(db, record) };
  // The node holds the edge from its parent; its further sources' edges are stored apart.
  const parentEdge = spec.parentId ? [executionEdge(ctx.sessionId, spec.parentId, spec.id, spec.edgeKind ?? 'flow')] : [];
  const furtherEdges = (spec.alsoAfter ?? [])
    .filter((source) => source !== spec.parentId)
    .map((source) => executionEdge(ctx.sessionId, source, spec.id, 'flow'));
  const edges = [...parentEdge, ...furtherEdges];
  // Each write is insert-once, so they can go at once: a retry inserts whatever is missing.
  const [created] = await Promise.all([
    insertNodeOnce(db, fresh, spec.edgeKind),
    ...furtherEdges.map((edge) => insertEdgeOnce(db, edge)),
  ]);
  if (!created) {
    const earlier = await getNode(db, ctx.sessionId, spec.id);
    if (earlier?.status === 'success') {
      // Announced again: the attempt that finished it may have died holding the announcement.
      await announceSuccess(deps, ctx, spec, earlier);
      return { output: earlier.output as T };
    }
  }

  const node = created ? executionNode(fresh) : await updateNode(db, spec.id, executing);
  await emitSessionEvents(db, ctx.sessionId, [
    ...edges.map((edge): SessionEvent => ({ stream: 'execution', key: `edge:${edge.id}`, data: { type: 'edge_created', edge } })),
    { stream: 'execution', key: `${spec.id}:started:${attempt}`, data: { type: 'node_started', node: nodeSummary(node) } },
    { stream: 'chat', key: `${spec.id}:status:executing:${attempt}`, data: agentStatus(spec, 'executing') },
  ]);

  try {
    const output = await work();
    assertAttemptCurrent();
    const ended = Date.now();
    const usage = spec.usageOf?.(output);
    const succeeded = await updateNode(db, spec.id, {
      status: 'success',
      output: output ?? null,
      ended_at: new Date(ended).toISOString(),
      duration_ms: ended - startedAt,
      ...(spec.labelOf ? { label: spec.labelOf(output) } : {}),
      ...(usage ? { token_usage: usage } : {}),
    });
    observeStep(spec.type, 'success', ended - startedAt);
    await announceSuccess(deps, ctx, spec, succeeded);
    return { output };
  } catch (err) {
    const ended = Date.now();
    const failed = await updateNode(db, spec.id, {
      status: 'error',
      error: errorMessage(err),
      ended_at: new Date(ended).toISOString(),
      duration_ms: ended - startedAt,
    });
    observeStep(spec.type, 'error', ended - startedAt);
    await emitSessionEvents(db, ctx.sessionId, [
      { stream: 'execution', key: `${spec.id}:failed:${attempt}`, data: { type: 'node_failed', node: nodeSummary(failed) } },
      { stream: 'chat', key: `${spec.id}:status:error:${attempt}`, data: agentStatus(spec, 'error') },
    ]);
    throw err;
  }
}
