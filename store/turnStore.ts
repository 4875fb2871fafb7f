import type { Db } from 'mongodb';
import type { ModelLabel } from '../domain/chat';
import type { TurnStatus } from '../domain/events';
import { PlanStep } from '../domain/plan';
import { nodeIdFor } from '../domain/workflowContracts';
import { collections, insertOnce, TurnDoc } from './collections';

export async function recordTurnStarted(db: Db, turn: Omit<TurnDoc, 'status' | 'ended_at' | 'duration_ms' | 'model'>): Promise<void> {
  await insertOnce(collections(db).turns, { ...turn, status: 'running', ended_at: null, duration_ms: null, model: null });
}

export async function setTurnModel(db: Db, turnId: string, model: ModelLabel): Promise<void> {
  await collections(db).turns.updateOne({ _id: turnId }, { $set: { model } });
}

/** Only a running turn can finish, so a retried finish keeps the first outcome. */
export async function recordTurnFinished(db: Db, turnId: string, status: Exclude<TurnStatus, 'running'>): Promise<TurnDoc | null> {
  const turn = await collections(db).turns.findOne({ _id: turnId });
  if (!turn || turn.status !== 'running') return turn;
  const ended = new Date();
  return collections(db).turns.findOneAndUpdate(
    { _id: turnId, status: 'running' },
    { $set: { status, ended_at: ended.toISOString(), duration_ms: ended.getTime() - Date.parse(turn.started_at) } },
    { returnDocument: 'after' },
  );
}

export async function runningTurns(db: Db, sessionId: string): Promise<TurnDoc[]> {
  return collections(db).turns.find({ session_id: sessionId, status: 'running' }).toArray();
}

export async function turnsSince(db: Db, sinceIso: string): Promise<TurnDoc[]> {
  return collections(db).turns.find({ started_at: { $gte: sinceIso } }).sort({ started_at: -1 }).limit(5000).toArray();
}

export async function countRunningTurns(db: Db): Promise<number> {
  return collections(db).turns.countDocuments({ status: 'running' });
}

/** What a finished chat turn asked, the steps its plan chose, and the node it failed at (if it did). */
export interface TurnPlan {
  turn_id: string;
  started_at: string;
  content: string;
  steps: PlanStep[];
  failed_at: string | null;
}

const PlannedSteps = PlanStep.array();

/**
 * The newest `limit` finished chat turns that got as far as a plan, newest first. Only the turns
 * are queried (one small document per turn; FerretDB v1 scans that collection); each plan, and the
 * error node of a failed turn, is then read by `_id`, the one lookup FerretDB v1 answers from an
 * index, instead of filtering the node collections, which hold several large documents per turn.
 */
export async function recentTurnPlans(db: Db, limit: number): Promise<TurnPlan[]> {
  const { turns, nodes, nodePayloads } = collections(db);
  const recent = await turns.find({ kind: 'chat_turn', status: { $ne: 'running' } }, { projection: { _id: 1, status: 1, started_at: 1 } })
    .sort({ started_at: -1 }).limit(limit).toArray();
  const plans = await Promise.all(recent.map(async (turn): Promise<TurnPlan | null> => {
    const [payload, error] = await Promise.all([
      nodePayloads.findOne({ _id: nodeIdFor(turn._id, 'plan') }, { projection: { 'input.content': 1, output: 1 } }),
      turn.status === 'failed' ? nodes.findOne({ _id: nodeIdFor(turn._id, 'error') }, { projection: { parent_node_id: 1 } }) : null,
    ]);
    const content = (payload?.input as { content?: unknown } | undefined)?.content;
    const steps = PlannedSteps.safeParse(payload?.output);
    if (typeof content !== 'string' || !steps.success) return null;
    return { turn_id: turn._id, started_at: turn.started_at, content, steps: steps.data, failed_at: error?.parent_node_id ?? null };
  }));
  return plans.filter((p): p is TurnPlan => p !== null);
}
