/**
 * The last node of every turn: what the turn cost and how it ended. The turn is marked finished
 * only after it, so whoever sees the turn finished finds every node of it finished too.
 */
import type { TurnStatus } from '../../domain/events';
import type { KnownTurn, TurnContext } from '../../domain/turnContracts';
import { nodeIdFor } from '../../domain/workflowContracts';
import type { TurnDoc } from '../../store/collections';
import { emitExecutionEvent } from '../../store/emit';
import { getTurn, recordTurnFinished } from '../../store/turnStore';
import type { ActivityDeps } from '../deps';
import { runAsNode } from '../nodeLifecycle';
import { observeTurn } from '../../metrics/workerMetrics';
import { exportTurnTrace } from '../../telemetry/turnTraceExport';

type TurnFacts = Pick<TurnDoc, 'started_at' | 'model'>;

export function createLearningActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /**
     * Records what the turn cost and how it ended; the last node of every turn. `known`: the turn's
     * start and model, when the workflow knows them (it selected the turn's models); without them
     * (and in turns that recorded this step before it was told) the turn is read.
     */
    async recordLearning(
      ctx: TurnContext,
      parentId: string,
      status: Exclude<TurnStatus, 'running'>,
      stepCount: number,
      known?: KnownTurn,
    ): Promise<void> {
      const nodeId = nodeIdFor(ctx.turnId, 'learning');
      let ended = new Date();
      // undefined: not known yet (told nothing, and the node had finished before, so not read in it)
      let turn: TurnFacts | null | undefined = known && { started_at: known.startedAt, model: known.model };
      await runAsNode(deps, ctx, { id: nodeId, type: 'learning', label: 'Learn', parentId, input: { status } }, async () => {
        if (turn === undefined) turn = await getTurn(db, ctx.turnId);
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
      const finishedMs = read
        ? await recordTurnFinished(db, { _id: ctx.turnId, started_at: read.started_at }, status, ended)
        : null;
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
