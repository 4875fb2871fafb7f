import type { Db } from 'mongodb';
import type { PredictionRecord as Prediction } from '../domain/evolution';
import { insertOnce } from './collections';
import { decodeFields, encodeFields } from './documentCodec';
import { evolutionCollections, PredictionDoc } from './evolutionStore';

/**
 * Predictions are proposals recomputed from metrics; carrying one out is a separate record.
 * - The proposal document is written only by the analysis (computePredictions): recomputed
 *   fields and `found_at`, each write a whole recomputed value.
 * - Each execution is a run `${prediction}#${n}`, claimed by a unique insert: of two people (or
 *   a person and the sweep) executing one prediction at once, exactly one starts an evolution.
 *   Its outcome is written once, by the evolution that claimed it.
 * - The status is derived: no run or a finished run found again since → `open`; an unfinished
 *   run → `executing`; a finished one → `done`, or `failed` when its evolution ended without an
 *   outcome (it failed, was cancelled or terminated: `failure` says how). A failed prediction can
 *   be carried out again.
 */
export interface PredictionRunDoc {
  _id: string; // `${prediction_id}#${n}`
  prediction_id: string;
  n: number;
  experiment_id: string;
  started_at: string;
  done_at: string | null;
  actual_improvement: number | null;
  /** Why the evolution ended without an outcome; absent (or null) when it finished. */
  failure?: string | null;
}

export type PredictionDraft = Omit<
  Prediction,
  'id' | 'status' | 'experiment_id' | 'actual_improvement' | 'failure' | 'created_at' | 'updated_at'
>;

const runs = (db: Db) => db.collection<PredictionRunDoc>('prediction_runs');

export async function ensurePredictionIndexes(db: Db): Promise<void> {
  await runs(db).createIndex({ prediction_id: 1, n: -1 });
}

async function newestRun(db: Db, predictionId: string): Promise<PredictionRunDoc | null> {
  const [run] = await runs(db).find({ prediction_id: predictionId }).sort({ n: -1 }).limit(1).toArray();
  return run ?? null;
}

function toPrediction(stored: PredictionDoc, run: PredictionRunDoc | null): Prediction {
  const { _id, found_at, ...doc } = decodeFields(stored);
  if (!run) return { ...doc, failure: null };
  const reopened = run.done_at !== null && (found_at ?? '') > run.done_at;
  const failure = run.failure ?? null;
  return {
    ...doc,
    status: run.done_at === null ? 'executing' : reopened ? 'open' : failure === null ? 'done' : 'failed',
    experiment_id: run.experiment_id,
    actual_improvement: run.actual_improvement,
    failure,
  };
}

/** Stores a proposal found now (new, or refreshed with recomputed figures). */
export async function saveProposal(db: Db, id: string, proposal: PredictionDraft, now: string): Promise<void> {
  const { predictions } = evolutionCollections(db);
  const inserted = await insertOnce(predictions, {
    _id: id,
    id,
    ...proposal,
    status: 'open',
    experiment_id: null,
    actual_improvement: null,
    failure: null,
    created_at: now,
    updated_at: now,
    found_at: now,
  });
  if (!inserted)
    await predictions.updateOne({ _id: id }, { $set: encodeFields({ ...proposal, updated_at: now, found_at: now }) });
}

export async function getPrediction(db: Db, id: string): Promise<Prediction | null> {
  const [doc, run] = await Promise.all([evolutionCollections(db).predictions.findOne({ _id: id }), newestRun(db, id)]);
  return doc && toPrediction(doc, run);
}

/** Every stored prediction with its derived status, highest priority first (then by id: the store keeps no order). */
export async function listPredictions(db: Db): Promise<Prediction[]> {
  const [docs, all] = await Promise.all([
    evolutionCollections(db).predictions.find({}).toArray(),
    runs(db).find({}).sort({ n: 1 }).toArray(),
  ]);
  const newest = new Map(all.map((r) => [r.prediction_id, r]));
  return docs
    .map((d) => toPrediction(d, newest.get(d._id) ?? null))
    .sort((a, b) => b.priority - a.priority || b.expected_improvement - a.expected_improvement || a.id.localeCompare(b.id));
}

/** The runs still carried out (of one prediction, or of all), oldest first, at most `limit`. */
export function openPredictionRuns(db: Db, limit: number, predictionId?: string): Promise<PredictionRunDoc[]> {
  return runs(db)
    .find({ done_at: null, ...(predictionId && { prediction_id: predictionId }) })
    .sort({ started_at: 1, _id: 1 })
    .limit(limit)
    .toArray();
}

/** Claims the prediction for an evolution; false when one is already carrying it out (or won the claim). */
export async function claimPrediction(db: Db, id: string, experimentId: string): Promise<boolean> {
  const run = await newestRun(db, id);
  if (run && run.done_at === null) return run.experiment_id === experimentId;
  const n = (run?.n ?? 0) + 1;
  return insertOnce(runs(db), {
    _id: `${id}#${n}`,
    prediction_id: id,
    n,
    experiment_id: experimentId,
    started_at: new Date().toISOString(),
    done_at: null,
    actual_improvement: null,
  });
}

/** How an evolution carrying a prediction out ended: what it achieved, or why it achieved nothing. */
export type PredictionOutcome = { actualImprovement: number | null; failure: string | null };

/**
 * Records how the evolution carrying the prediction out ended: written by that evolution, or by
 * the API for one whose workflow ended without writing it (terminated). The first write wins: only
 * a run still open is settled. Returns the prediction as settled.
 */
export async function settlePrediction(
  db: Db,
  id: string,
  experimentId: string,
  { actualImprovement, failure }: PredictionOutcome,
): Promise<Prediction | null> {
  await runs(db).updateOne(
    { prediction_id: id, experiment_id: experimentId, done_at: null },
    { $set: { done_at: new Date().toISOString(), actual_improvement: actualImprovement, failure } },
  );
  return getPrediction(db, id);
}
