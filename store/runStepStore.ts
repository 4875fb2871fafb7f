import type { Db } from 'mongodb';
import { decodeFields, encodeFields } from './documentCodec';

/**
 * The steps of a run (an evolution, a generation) as its trace will show them: written by the
 * activity that performed the step, only while tracing is on, and read once when the run ends
 * (telemetry/runTraceExport.ts). A turn needs no such record, its execution nodes keep their
 * times; a run's own records (experiments, suite runs, drafts) keep when they ended but not when
 * they began. One document per step, keyed by run and step: a retried activity replaces its
 * step (the last attempt's times), so it stays one span. Nothing reads them after the export:
 * the store's trim deletes a run's steps once the run has long ended (storeTrimming.ts).
 */
export type StepAttributes = Record<string, string | number | boolean>;

export interface RunStepDoc {
  _id: string; // `${run_id}/${key}`
  run_id: string;
  key: string;
  /** The step this one is part of; null for a step of the run itself. */
  parent_key: string | null;
  name: string;
  started_at: string;
  ended_at: string;
  /** OpenTelemetry attributes (dotted keys, escaped by the store's codec). */
  attributes: StepAttributes;
  error: string | null;
}

const runSteps = (db: Db) => db.collection<RunStepDoc>('run_steps');

export async function ensureRunStepIndexes(db: Db): Promise<void> {
  await runSteps(db).createIndex({ run_id: 1 });
}

export async function saveRunStep(db: Db, step: Omit<RunStepDoc, '_id'>): Promise<void> {
  const _id = `${step.run_id}/${step.key}`;
  await runSteps(db).replaceOne({ _id }, encodeFields({ _id, ...step }), { upsert: true });
}

export async function listRunSteps(db: Db, runId: string): Promise<RunStepDoc[]> {
  return (await runSteps(db).find({ run_id: runId }).sort({ started_at: 1, _id: 1 }).toArray()).map(decodeFields);
}

/** When each stored step ended, by run (`_id`s with them): what the trim decides on. */
export async function runStepEnds(db: Db): Promise<Pick<RunStepDoc, '_id' | 'run_id' | 'ended_at'>[]> {
  return runSteps(db)
    .find({}, { projection: { _id: 1, run_id: 1, ended_at: 1 } })
    .toArray();
}

export async function deleteRunSteps(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await runSteps(db).deleteMany({ _id: { $in: ids } });
}
