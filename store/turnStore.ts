import type { Db } from 'mongodb';
import type { ModelLabel } from '../domain/chat';
import type { TurnStatus } from '../domain/events';
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
