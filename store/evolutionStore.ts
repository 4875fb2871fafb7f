import type { Db } from 'mongodb';
import type { ComponentManifest } from '../domain/manifest';
import type { AutonomyLevel, ComponentType } from '../domain/enums';
import type {
  VersionRecord, ExperimentRecord, PredictionRecord, SuiteRun, SuiteSummary, VersionCreator, VersionStatus, VersionUsage,
} from '../domain/evolution';
import type { ExperimentRequest } from '../domain/meta';
import { insertOnce } from './collections';

/**
 * Evolution's documents. Components, versions, experiments and predictions are small
 * collections (scans are fine on FerretDB); the hot path (recording usage) writes by
 * `_id` only, one document per version per worker process.
 */
export interface ComponentDoc {
  _id: string; // the component's name
  name: string;
  type: ComponentType;
  description: string;
  file_path: string;
  current_version: string;
  tags: string[];
  created_at: string;
  updated_at: string;
}

export type VersionDoc = VersionRecord & { _id: string; code: string; manifest: ComponentManifest };

/** One worker's cumulative usage of one version; only that worker writes it (with $set). */
export interface UsageDoc extends VersionUsage {
  _id: string; // `${component}@${version}:${worker_id}`
  component: string;
  version: string;
  worker_id: string;
}

/** Every change of a component's current version, with who made it and why. */
export interface ChangeDoc {
  _id: string; // the idempotency key of the change
  component: string;
  from_version: string | null;
  to_version: string;
  kind: 'seed' | 'file_edit' | 'promote' | 'rollback';
  by: VersionCreator;
  reason: string;
  experiment_id: string | null;
  at: string;
}

export type ExperimentDoc = ExperimentRecord & { _id: string };
export type PredictionDoc = PredictionRecord & { _id: string };
/**
 * One arm's suite run, a document of its own (`_id` = `${experimentId}:${arm}`): both arms finish
 * at about the same moment, and FerretDB's update of the experiment is a read-modify-write of the
 * whole document, so one arm's result can be lost there; this copy restores it.
 */
export interface ArmRunDoc { _id: string; run: SuiteRun }
export type Arm = 'a' | 'b';
/** What the API was asked for when it started an experiment; written once (insert-only), by the API. */
export type ExperimentRequestDoc = ExperimentRequest & { _id: string };

export const evolutionCollections = (db: Db) => ({
  components: db.collection<ComponentDoc>('components'),
  versions: db.collection<VersionDoc>('component_versions'),
  usage: db.collection<UsageDoc>('component_usage'),
  changes: db.collection<ChangeDoc>('component_changes'),
  experiments: db.collection<ExperimentDoc>('experiments'),
  predictions: db.collection<PredictionDoc>('predictions'),
  armRuns: db.collection<ArmRunDoc>('experiment_arm_runs'),
  experimentRequests: db.collection<ExperimentRequestDoc>('experiment_requests'),
});

export async function ensureEvolutionIndexes(db: Db): Promise<void> {
  const c = evolutionCollections(db);
  await Promise.all([
    c.versions.createIndex({ component: 1, created_at: 1 }),
    c.usage.createIndex({ component: 1 }),
    c.changes.createIndex({ component: 1, at: 1 }),
    c.experiments.createIndex({ created_at: -1 }),
  ]);
}

export const getComponent = (db: Db, name: string) => evolutionCollections(db).components.findOne({ _id: name });
export const listComponentDocs = (db: Db) => evolutionCollections(db).components.find({}).sort({ _id: 1 }).toArray();
export const getVersion = (db: Db, component: string, version: string) =>
  evolutionCollections(db).versions.findOne({ _id: `${component}@${version}` });
export const listVersions = (db: Db, component: string) =>
  evolutionCollections(db).versions.find({ component }).sort({ created_at: 1 }).toArray();

export const insertVersionOnce = (db: Db, doc: VersionDoc) => insertOnce(evolutionCollections(db).versions, doc);
export const insertComponentOnce = (db: Db, doc: ComponentDoc) => insertOnce(evolutionCollections(db).components, doc);
export const recordChange = (db: Db, doc: ChangeDoc) => insertOnce(evolutionCollections(db).changes, doc);
export const listChanges = (db: Db, component: string) =>
  evolutionCollections(db).changes.find({ component }).sort({ at: 1 }).toArray();

/** Sums every worker's usage per version of a component. */
export async function usageByVersion(db: Db, component: string): Promise<Map<string, VersionUsage>> {
  const docs = await evolutionCollections(db).usage.find({ component }).toArray();
  const out = new Map<string, VersionUsage>();
  for (const d of docs) {
    const sum = out.get(d.version) ?? { usage_count: 0, error_count: 0, total_latency_ms: 0, last_used: null };
    sum.usage_count += d.usage_count;
    sum.error_count += d.error_count;
    sum.total_latency_ms += d.total_latency_ms;
    if (d.last_used && (!sum.last_used || d.last_used > sum.last_used)) sum.last_used = d.last_used;
    out.set(d.version, sum);
  }
  return out;
}

export async function getExperiment(db: Db, id: string): Promise<ExperimentDoc | null> {
  return evolutionCollections(db).experiments.findOne({ _id: id });
}
export async function updateExperiment(db: Db, id: string, patch: Partial<ExperimentRecord>): Promise<void> {
  await evolutionCollections(db).experiments.updateOne({ _id: id }, { $set: { ...patch, updated_at: new Date().toISOString() } });
}
export const listExperiments = (db: Db, limit = 200) =>
  evolutionCollections(db).experiments.find({}).sort({ created_at: -1 }).limit(limit).toArray();

/** Moves a component's current version from `from` (now previous) to `to`. */
export async function setCurrentVersion(db: Db, name: string, from: string | null, to: string, filePath: string): Promise<void> {
  const { components, versions } = evolutionCollections(db);
  if (from && from !== to) await versions.updateOne({ _id: `${name}@${from}` }, { $set: { status: 'previous' } });
  await versions.updateOne({ _id: `${name}@${to}` }, { $set: { status: 'current' } });
  await components.updateOne({ _id: name }, { $set: { current_version: to, file_path: filePath, updated_at: new Date().toISOString() } });
}

export const getChange = (db: Db, key: string) => evolutionCollections(db).changes.findOne({ _id: key });

/** Promotions decided by the system (not a person) since `since` (ISO), across components. */
export const countAutoPromotionsSince = (db: Db, since: string) =>
  evolutionCollections(db).changes.countDocuments({ kind: 'promote', 'by.detail': 'system', at: { $gte: since } });

export async function setVersionTestResults(db: Db, versionId: string, summary: SuiteSummary): Promise<void> {
  await evolutionCollections(db).versions.updateOne({ _id: versionId }, { $set: { test_results: summary } });
}

/** A candidate that lost (or was refused) is rejected; a version already promoted or current stays as it is. */
export async function rejectCandidate(db: Db, component: string, version: string): Promise<void> {
  await evolutionCollections(db).versions.updateOne({ _id: `${component}@${version}`, status: 'candidate' }, { $set: { status: 'rejected' } });
}

export const insertExperimentOnce = (db: Db, doc: ExperimentDoc) => insertOnce(evolutionCollections(db).experiments, doc);

export async function saveArmRun(db: Db, experimentId: string, arm: Arm, run: SuiteRun): Promise<void> {
  await evolutionCollections(db).armRuns.updateOne({ _id: `${experimentId}:${arm}` }, { $set: { run } }, { upsert: true });
}

export async function getArmRuns(db: Db, experimentId: string): Promise<{ a: SuiteRun | null; b: SuiteRun | null }> {
  const { armRuns } = evolutionCollections(db);
  const [a, b] = await Promise.all([armRuns.findOne({ _id: `${experimentId}:a` }), armRuns.findOne({ _id: `${experimentId}:b` })]);
  return { a: a?.run ?? null, b: b?.run ?? null };
}

export const getPrediction = (db: Db, id: string) => evolutionCollections(db).predictions.findOne({ _id: id });
export const listPredictionDocs = (db: Db) => evolutionCollections(db).predictions.find({}).toArray();

/** Predictions other than `ids` that are being carried out or were: they keep showing until found again. */
export const listPredictionsInProgressExcept = (db: Db, ids: string[]) =>
  evolutionCollections(db).predictions.find({ _id: { $nin: ids }, status: { $in: ['executing', 'done'] } }).toArray();

export type PredictionDraft = Omit<PredictionRecord, 'id' | 'status' | 'experiment_id' | 'actual_improvement' | 'created_at' | 'updated_at'>;

/**
 * Stores a freshly computed prediction under its stable id: inserted open the first time, else
 * refreshed; a finished one is open again, one in progress stays so. Returns it as stored.
 */
export async function refreshPrediction(db: Db, id: string, draft: PredictionDraft, now: string): Promise<PredictionRecord> {
  const { predictions } = evolutionCollections(db);
  await insertOnce(predictions, { _id: id, id, ...draft, status: 'open', experiment_id: null, actual_improvement: null, created_at: now, updated_at: now });
  const existing = await predictions.findOne({ _id: id });
  const status = existing?.status === 'executing' ? 'executing' : 'open';
  await predictions.updateOne({ _id: id }, { $set: { ...draft, status, updated_at: now } });
  return { ...(existing as PredictionRecord), ...draft, status, updated_at: now };
}

export async function setPredictionExecuting(db: Db, id: string, experimentId: string): Promise<void> {
  await evolutionCollections(db).predictions.updateOne(
    { _id: id }, { $set: { status: 'executing', experiment_id: experimentId, updated_at: new Date().toISOString() } },
  );
}

/** Records what the experiment carrying a prediction out achieved; returns the prediction as settled. */
export async function settlePrediction(db: Db, id: string, experimentId: string, actualImprovement: number | null): Promise<PredictionDoc | null> {
  const { predictions } = evolutionCollections(db);
  await predictions.updateOne(
    { _id: id },
    { $set: { status: 'done', experiment_id: experimentId, actual_improvement: actualImprovement, updated_at: new Date().toISOString() } },
  );
  return predictions.findOne({ _id: id });
}

export const insertExperimentRequest = (db: Db, request: ExperimentRequest) =>
  insertOnce(evolutionCollections(db).experimentRequests, { _id: request.id, ...request });
export async function getExperimentRequests(db: Db, ids: string[]): Promise<Map<string, ExperimentRequest>> {
  if (ids.length === 0) return new Map();
  const docs = await evolutionCollections(db).experimentRequests.find({ _id: { $in: ids } }).toArray();
  return new Map(docs.map(({ _id, ...r }) => [_id, r]));
}

export type ExperimentFacts = Pick<ExperimentRecord, 'status' | 'decision' | 'conclusion' | 'rolled_back' | 'created_at'>;
/** What the spec's SystemMetrics are computed from. */
export interface EvolutionFacts {
  components: number;
  versions: { status: VersionStatus; created_at: string }[];
  /** Newest first. */
  experiments: ExperimentFacts[];
  autonomy_level: AutonomyLevel;
}

/** Reads the facts SystemMetrics needs (small collections: scans with projections). */
export async function readEvolutionFacts(db: Db, autonomyLevel: AutonomyLevel): Promise<EvolutionFacts> {
  const c = evolutionCollections(db);
  const [components, versions, experiments] = await Promise.all([
    c.components.countDocuments({}),
    c.versions.find({}, { projection: { _id: 0, status: 1, created_at: 1 } }).toArray(),
    c.experiments.find({}, { projection: { _id: 0, status: 1, decision: 1, conclusion: 1, rolled_back: 1, created_at: 1 } }).sort({ created_at: -1 }).toArray(),
  ]);
  return { components, versions, experiments, autonomy_level: autonomyLevel };
}
