import type { Db } from 'mongodb';
import { type ComponentManifest, isPlannable } from '../domain/manifest';
import type { AutonomyLevel, ComponentType } from '../domain/enums';
import type {
  Decision,
  VersionRecord,
  ExperimentRecord,
  PredictionRecord,
  SuiteRun,
  SuiteSummary,
  VersionCreator,
  VersionStatus,
  VersionUsage,
} from '../domain/evolution';
import type { ListPage } from '../domain/listPage';
import type { ExperimentRequest } from '../domain/meta';
import { insertOnce } from './collections';
import { newestFirstPage } from './newestFirstPage';
import { decodeFields, decodeFound, encodeFields } from './documentCodec';
import { perDb } from './perDb';

/**
 * Evolution's documents. Components, versions, experiments and predictions are small
 * collections (scans are fine on FerretDB); the hot path (recording usage) writes by
 * `_id` only, one document per version per worker process.
 *
 * What changes is derived from insert-only records, so concurrent evolutions, promotions,
 * rollbacks and file edits never overwrite each other (see store/README.md):
 * - a component's current version is the newest of its changes (`component_changes`);
 * - a version's status is `current` / `previous` from those changes, else as stored
 *   (`candidate`, or `rejected` by the one experiment that decided on it);
 * - a version's test results are its newest suite run (`suite_runs`).
 */
export interface ComponentDoc {
  _id: string; // the component's name
  /** As first stored; readers get the current one from the changes (getComponent). */
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

/** One run of a version over its suite: an experiment's arm (`${experiment}:${arm}`) or the predictions' check. */
export interface SuiteRunDoc {
  _id: string;
  component: string;
  version: string;
  summary: SuiteSummary;
  run: SuiteRun | null;
  at: string;
}
export type Arm = 'a' | 'b';

export type ExperimentDoc = ExperimentRecord & { _id: string };
/** `status`, `experiment_id` and `actual_improvement` as first stored; readers derive them (predictionStore.ts). */
export type PredictionDoc = PredictionRecord & { _id: string; found_at?: string };
/** What the API was asked for when it started an experiment; written once (insert-only), by the API. */
export type ExperimentRequestDoc = ExperimentRequest & { _id: string };

export const evolutionCollections = perDb((db: Db) => ({
  components: db.collection<ComponentDoc>('components'),
  versions: db.collection<VersionDoc>('component_versions'),
  usage: db.collection<UsageDoc>('component_usage'),
  changes: db.collection<ChangeDoc>('component_changes'),
  suiteRuns: db.collection<SuiteRunDoc>('suite_runs'),
  experiments: db.collection<ExperimentDoc>('experiments'),
  predictions: db.collection<PredictionDoc>('predictions'),
  experimentRequests: db.collection<ExperimentRequestDoc>('experiment_requests'),
}));

export async function ensureEvolutionIndexes(db: Db): Promise<void> {
  const c = evolutionCollections(db);
  await Promise.all([
    c.versions.createIndex({ component: 1, created_at: 1 }),
    c.usage.createIndex({ component: 1 }),
    c.changes.createIndex({ component: 1, at: 1 }),
    c.experiments.createIndex({ created_at: -1 }),
    c.suiteRuns.createIndex({ component: 1, at: 1 }),
  ]);
}

type ChangeRef = Pick<ChangeDoc, 'component' | 'to_version' | 'at'>;
const byTime = { at: 1, _id: 1 } as const;

/** The component with its current version: the newest change's, else (no change yet) its own. */
function withCurrent(doc: ComponentDoc, newest: ChangeRef | undefined): ComponentDoc {
  return newest
    ? { ...doc, current_version: newest.to_version, updated_at: newest.at > doc.updated_at ? newest.at : doc.updated_at }
    : doc;
}

export async function getComponent(db: Db, name: string): Promise<ComponentDoc | null> {
  const { components, changes } = evolutionCollections(db);
  const [doc, [newest]] = await Promise.all([
    components.findOne({ _id: name }),
    changes
      .find({ component: name }, { projection: { component: 1, to_version: 1, at: 1 } })
      .sort({ at: -1, _id: -1 })
      .limit(1)
      .toArray(),
  ]);
  return doc && withCurrent(decodeFields(doc), newest);
}

export async function listComponentDocs(db: Db): Promise<ComponentDoc[]> {
  const { components, changes } = evolutionCollections(db);
  const [docs, all] = await Promise.all([
    components.find({}).sort({ _id: 1 }).toArray(),
    changes
      .find({}, { projection: { component: 1, to_version: 1, at: 1 } })
      .sort(byTime)
      .toArray(),
  ]);
  const newest = new Map(all.map((c) => [c.component, c]));
  return docs.map((d) => withCurrent(decodeFields(d), newest.get(d._id)));
}

/**
 * The manifests of the current versions of the components the planner plans with (tools and
 * memory), in the components' order: the components and their changes, then their versions in one read.
 */
export async function currentPlannableManifests(db: Db): Promise<ComponentManifest[]> {
  const ids = (await listComponentDocs(db)).filter(isPlannable).map((c) => `${c._id}@${c.current_version}`);
  const versions = await evolutionCollections(db)
    .versions.find({ _id: { $in: ids } }, { projection: { manifest: 1 } })
    .toArray();
  const byId = new Map(versions.map((v) => [v._id, decodeFields(v).manifest]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Status and test results as derived from the changes and the suite runs (see the header). */
async function withDerivedState(db: Db, component: string, versions: VersionDoc[]): Promise<VersionDoc[]> {
  if (versions.length === 0) return versions;
  const { changes, suiteRuns } = evolutionCollections(db);
  const [history, runs] = await Promise.all([
    changes
      .find({ component }, { projection: { component: 1, to_version: 1, at: 1 } })
      .sort(byTime)
      .toArray(),
    suiteRuns
      .find(versions.length === 1 ? { component, version: versions[0].version } : { component }, { projection: { run: 0 } })
      .sort(byTime)
      .toArray(),
  ]);
  const statusOf = derivedStatus(history);
  const newestRun = new Map(runs.map((r) => [r.version, decodeFields(r).summary]));
  return versions.map((v) => ({ ...v, status: statusOf(v), test_results: newestRun.get(v.version) ?? v.test_results }));
}

/**
 * A version's status from one component's changes (oldest first): the newest change's version is
 * current, every other that ever was current is previous; the stored status says the rest.
 */
function derivedStatus(history: Pick<ChangeRef, 'to_version'>[]) {
  const current = history.at(-1)?.to_version;
  const wasCurrent = new Set(history.map((c) => c.to_version));
  return (v: Pick<VersionDoc, 'version' | 'status'>): VersionStatus =>
    v.version === current ? 'current' : wasCurrent.has(v.version) || v.status === 'current' ? 'previous' : v.status;
}

export async function getVersion(db: Db, component: string, version: string): Promise<VersionDoc | null> {
  const doc = decodeFound(await evolutionCollections(db).versions.findOne({ _id: `${component}@${version}` }));
  return doc && (await withDerivedState(db, component, [doc]))[0];
}

export async function listVersions(db: Db, component: string): Promise<VersionDoc[]> {
  return withDerivedState(
    db,
    component,
    (await evolutionCollections(db).versions.find({ component }).sort({ created_at: 1 }).toArray()).map(decodeFields),
  );
}

/** Insert-only: a retried arm keeps the first run it stored. */
export const recordSuiteRun = (db: Db, doc: SuiteRunDoc) => insertOnce(evolutionCollections(db).suiteRuns, doc);

export const insertVersionOnce = (db: Db, doc: VersionDoc) => insertOnce(evolutionCollections(db).versions, doc);
export const insertComponentOnce = (db: Db, doc: ComponentDoc) => insertOnce(evolutionCollections(db).components, doc);
export const recordChange = (db: Db, doc: ChangeDoc) => insertOnce(evolutionCollections(db).changes, doc);
export const listChanges = async (db: Db, component: string) =>
  (await evolutionCollections(db).changes.find({ component }).sort({ at: 1 }).toArray()).map(decodeFields);

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

/** Arms store their runs apart (both finish at about the same moment); a running experiment shows them from there. */
async function withArmResults(db: Db, doc: ExperimentDoc): Promise<ExperimentDoc> {
  if (doc.results_a && doc.results_b) return doc;
  const [a, b] = await armRuns(db, doc._id);
  return { ...doc, results_a: doc.results_a ?? a, results_b: doc.results_b ?? b };
}

async function armRuns(db: Db, experimentId: string): Promise<[SuiteRun | null, SuiteRun | null]> {
  const { suiteRuns } = evolutionCollections(db);
  const [a, b] = await Promise.all([
    suiteRuns.findOne({ _id: `${experimentId}:a` }),
    suiteRuns.findOne({ _id: `${experimentId}:b` }),
  ]);
  return [decodeFound(a)?.run ?? null, decodeFound(b)?.run ?? null];
}

export async function getExperiment(db: Db, id: string): Promise<ExperimentDoc | null> {
  const doc = decodeFound(await evolutionCollections(db).experiments.findOne({ _id: id }));
  return doc && withArmResults(db, doc);
}
export async function updateExperiment(db: Db, id: string, patch: Partial<ExperimentRecord>): Promise<void> {
  await evolutionCollections(db).experiments.updateOne(
    { _id: id },
    { $set: encodeFields({ ...patch, updated_at: new Date().toISOString() }) },
  );
}
/** Records that an experiment ended undecided when its workflow could not say so (terminated); a decided one is left as it is. */
export async function failUnfinishedExperiment(db: Db, id: string, decision: Decision): Promise<boolean> {
  const { modifiedCount } = await evolutionCollections(db).experiments.updateOne(
    { _id: id, status: { $in: ['running', 'awaiting_approval'] } },
    { $set: { status: 'failed', decision, updated_at: new Date().toISOString() } },
  );
  return modifiedCount > 0;
}
/** A page of the experiments, newest first; null when `page.after` names no experiment. */
export async function listExperiments(db: Db, page: ListPage): Promise<ExperimentDoc[] | null> {
  const found = await newestFirstPage(evolutionCollections(db).experiments, page);
  if (found === null) return null;
  const docs = found.map(decodeFields);
  return Promise.all(docs.map((d) => (d.status === 'running' ? withArmResults(db, d) : Promise.resolve(d))));
}

export const insertExperimentOnce = (db: Db, doc: ExperimentDoc) => insertOnce(evolutionCollections(db).experiments, doc);

export const getChange = async (db: Db, key: string) => decodeFound(await evolutionCollections(db).changes.findOne({ _id: key }));

/** Promotions decided by the system (not a person) since `since` (ISO), across components. */
export const countAutoPromotionsSince = (db: Db, since: string) =>
  evolutionCollections(db).changes.countDocuments({ kind: 'promote', 'by.detail': 'system', at: { $gte: since } });

/**
 * A candidate that lost (or was refused) is rejected; a version already promoted or current stays as
 * it is. The one write to a stored version: by the workflow of the experiment that decided on it.
 */
export async function rejectCandidate(db: Db, component: string, version: string): Promise<void> {
  await evolutionCollections(db).versions.updateOne(
    { _id: `${component}@${version}`, status: 'candidate' },
    { $set: { status: 'rejected' } },
  );
}

export const insertExperimentRequest = (db: Db, request: ExperimentRequest) =>
  insertOnce(evolutionCollections(db).experimentRequests, { _id: request.id, ...request });
export async function getExperimentRequests(db: Db, ids: string[]): Promise<Map<string, ExperimentRequest>> {
  if (ids.length === 0) return new Map();
  const docs = await evolutionCollections(db)
    .experimentRequests.find({ _id: { $in: ids } })
    .toArray();
  return new Map(docs.map(decodeFields).map(({ _id, ...r }) => [_id, r]));
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
  const [components, versions, changes, experiments] = await Promise.all([
    c.components.countDocuments({}),
    c.versions.find({}, { projection: { _id: 0, component: 1, version: 1, status: 1, created_at: 1 } }).toArray(),
    c.changes
      .find({}, { projection: { component: 1, to_version: 1, at: 1 } })
      .sort(byTime)
      .toArray(),
    c.experiments
      .find({}, { projection: { _id: 0, status: 1, decision: 1, conclusion: 1, rolled_back: 1, created_at: 1 } })
      .sort({ created_at: -1 })
      .toArray(),
  ]);
  // Statuses as getComponent and listVersions derive them: a stored "current" may be long superseded.
  const historyOf = new Map<string, ChangeRef[]>();
  for (const change of changes) {
    const history = historyOf.get(change.component) ?? [];
    history.push(change);
    historyOf.set(change.component, history);
  }
  const statuses = versions.map((v) => ({
    status: derivedStatus(historyOf.get(v.component) ?? [])(v),
    created_at: v.created_at,
  }));
  return { components, versions: statuses, experiments, autonomy_level: autonomyLevel };
}

/** The newest experiment with a conclusion that had `version` as its candidate (B), or null. */
export async function newestJudgementOf(db: Db, component: string, version: string): Promise<ExperimentDoc | null> {
  const [newest] = await evolutionCollections(db)
    .experiments.find({ component, version_b: version, conclusion: { $ne: null } })
    .sort({ created_at: -1 })
    .limit(1)
    .toArray();
  return newest ?? null;
}
