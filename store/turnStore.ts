import type { Db } from 'mongodb';
import { z } from 'zod';
import type { ModelLabel } from '../domain/chat';
import type { TurnStatus } from '../domain/events';
import { PlanStep } from '../domain/plan';
import { nodeIdFor } from '../domain/workflowContracts';
import { collections, insertOnce, TurnDoc } from './collections';
import { nodePayloadsById } from './graphStore';

/** Records a turn started; false when it was recorded before (a retried step). */
export async function recordTurnStarted(
  db: Db,
  turn: Omit<TurnDoc, 'status' | 'ended_at' | 'duration_ms' | 'model'>,
): Promise<boolean> {
  return insertOnce(collections(db).turns, { ...turn, status: 'running', ended_at: null, duration_ms: null, model: null });
}

export async function setTurnModel(db: Db, turnId: string, model: ModelLabel): Promise<void> {
  await collections(db).turns.updateOne({ _id: turnId }, { $set: { model } });
}

export async function getTurn(db: Db, turnId: string): Promise<TurnDoc | null> {
  return collections(db).turns.findOne({ _id: turnId });
}

/**
 * Marks a running turn finished; `turn` as read by the caller. Only a running turn can finish, so a
 * retried finish keeps the first outcome. The duration when this call finished it, else null.
 */
export async function recordTurnFinished(
  db: Db,
  turn: Pick<TurnDoc, '_id' | 'started_at'>,
  status: Exclude<TurnStatus, 'running'>,
  ended = new Date(),
): Promise<number | null> {
  const duration_ms = ended.getTime() - Date.parse(turn.started_at);
  const { modifiedCount } = await collections(db).turns.updateOne(
    { _id: turn._id, status: 'running' },
    { $set: { status, ended_at: ended.toISOString(), duration_ms } },
  );
  return modifiedCount === 1 ? duration_ms : null;
}

export async function runningTurns(db: Db, sessionId: string): Promise<TurnDoc[]> {
  return collections(db).turns.find({ session_id: sessionId, status: 'running' }).toArray();
}

export async function countRunningTurns(db: Db): Promise<number> {
  return collections(db).turns.countDocuments({ status: 'running' });
}

/** All turns ever, from the collection's metadata (cheap; exact enough for a dashboard). */
export async function countTurns(db: Db): Promise<number> {
  return collections(db).turns.estimatedDocumentCount();
}

/** What a finished chat turn asked, the steps its plan chose, and the step it failed at (if it did). */
export interface TurnPlan {
  turn_id: string;
  started_at: string;
  content: string;
  steps: PlanStep[];
  failed_step: string | null;
}

const PlannedSteps = PlanStep.array();
/** What the learning node records (activities/turnActivities.ts `recordLearning`): the steps that completed. */
const LearnedSteps = z.object({ steps: z.number().int().min(0) });

/**
 * The newest `limit` finished chat turns that got as far as a plan, newest first: the turns (one
 * small document per turn), then each one's plan, and the learning record of the failed ones, by
 * `_id`. One lookup per id rather than one `$in`: FerretDB v1 serves only a single `_id` equality
 * from its index (tools/ferretdb/idindex.go) and decodes the whole collection for an `$in`, so the
 * cost stays bounded by `limit` instead of growing with every node ever stored.
 */
export async function recentTurnPlans(db: Db, limit: number): Promise<TurnPlan[]> {
  const { turns } = collections(db);
  const recent = await turns
    .find({ kind: 'chat_turn', status: { $ne: 'running' } }, { projection: { _id: 1, status: 1, started_at: 1 } })
    .sort({ started_at: -1 })
    .limit(limit)
    .toArray();
  const ids = recent.flatMap((t) => [nodeIdFor(t._id, 'plan'), ...(t.status === 'failed' ? [nodeIdFor(t._id, 'learning')] : [])]);
  const outputOf = await nodePayloadsById(db, ids, { 'input.content': 1, output: 1 });
  return recent.flatMap((turn): TurnPlan[] => {
    const plan = outputOf.get(nodeIdFor(turn._id, 'plan'));
    const content = (plan?.input as { content?: unknown } | undefined)?.content;
    const steps = PlannedSteps.safeParse(plan?.output);
    if (typeof content !== 'string' || !steps.success) return [];
    // Steps run in order and the first failure ends the turn: a failed turn failed at the step after the last that completed.
    const learned = LearnedSteps.safeParse(outputOf.get(nodeIdFor(turn._id, 'learning'))?.output);
    const failed_step = learned.success ? (steps.data[learned.data.steps]?.id ?? null) : null;
    return [{ turn_id: turn._id, started_at: turn.started_at, content, steps: steps.data, failed_step }];
  });
}
