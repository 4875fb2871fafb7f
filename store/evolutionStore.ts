import type { Db } from 'mongodb';
import type { ComponentManifest } from '../components/manifest';
import type { ComponentType } from '../domain/enums';
import type {
  ComponentVersion, Experiment, Prediction, VersionCreator, VersionUsage,
} from '../domain/evolution';
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

export type VersionDoc = ComponentVersion & { _id: string; code: string; manifest: ComponentManifest };

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

export type ExperimentDoc = Experiment & { _id: string };
export type PredictionDoc = Prediction & { _id: string };

export const evolutionCollections = (db: Db) => ({
  components: db.collection<ComponentDoc>('components'),
  versions: db.collection<VersionDoc>('component_versions'),
  usage: db.collection<UsageDoc>('component_usage'),
  changes: db.collection<ChangeDoc>('component_changes'),
  experiments: db.collection<ExperimentDoc>('experiments'),
  predictions: db.collection<PredictionDoc>('predictions'),
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
export async function updateExperiment(db: Db, id: string, patch: Partial<Experiment>): Promise<void> {
  await evolutionCollections(db).experiments.updateOne({ _id: id }, { $set: { ...patch, updated_at: new Date().toISOString() } });
}
export const listExperiments = (db: Db, limit = 200) =>
  evolutionCollections(db).experiments.find({}).sort({ created_at: -1 }).limit(limit).toArray();
