/**
 * The last node of every turn: what the turn cost and how it ended. The turn is marked finished
 * only after it, so whoever sees the turn finished finds every node of it finished too.
 */
import type { TurnStatus } from '../../domain/events';
import type { TurnContext } from '../../domain/turnContracts';
import { nodeIdFor } from '../../domain/workflowContracts';
import type { TurnDoc } from '../../store/collections';
import { emitExecutionEvent } from '../../store/emit';
import { getTurn, recordTurnFinished } from '../../store/turnStore';
import type { ActivityDeps } from '../deps';
import { runAsNode } from '../nodeLifecycle';
import { observeTurn } from '../../metrics/workerMetrics';
import { exportTurnTrace } from '../../telemetry/turnTraceExport';

export function createLearningActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** Records what the turn cost and how it ended; the last node of every turn. */
    async recordLearning(
      ctx: TurnContext,
      parentId: string,
      status: Exclude<TurnStatus, 'running'>,
      stepCount: number,
    ): Promise<void> {
      const nodeId = nodeIdFor(ctx.turnId, 'learning');
      let ended = new Date();
      let turn: TurnDoc | null | undefined; // undefined: not read here (the node had finished before)
      await runAsNode(deps, ctx, { id: nodeId, type: 'learning', label: 'Learn', parentId, input: { status } }, async () => {
        turn = await getTurn(db, ctx.turnId);
        ended = new Date();
        return {
          status,
          duration_ms: turn ? ended.getTime() - Date.parse(turn.started_at) : null,
          steps: stepCount,
          model: turn?.model ?? null,
        };
      });
      // Finished last: whoever sees the turn finished finds every node of it finished too.
      const read = turn === undefined ? await getTurn(db, ctx.turnId) : turn;
      const finishedMs = read ? await recordTurnFinished(db, read, status, ended) : null;
      // Counted by the call that finished it: a retry finds the turn finished already.
      if (finishedMs !== null) observeTurn(status, finishedMs);
      await emitExecutionEvent(db, ctx.sessionId, `${ctx.turnId}:graph_updated`, {
        type: 'graph_updated',
        turn_id: ctx.turnId,
        status,
      });
      // After the turn is announced finished: its trace costs the person no wait.
      if (deps.tracing) await exportTurnTrace(deps.tracing, db, ctx.sessionId, ctx.turnId);
    },
  };
}
