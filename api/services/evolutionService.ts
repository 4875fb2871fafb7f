import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import {
  ChangeRules, ChangeRulesPatch, ComponentSummary, ComponentVersion, evolveWorkflowId, EvolveComponentInput, Experiment,
  Prediction, rollbackWorkflowId, RollbackComponentInput,
} from '../../domain/evolution';
import { META_STREAM, StoredEvent } from '../../domain/events';
import { loadSuite } from '../../evaluation/suite';
import { diffText } from '../../evolution/lineDiff';
import { emitMetaEvent } from '../../store/emit';
import { lastSeq, readEvents } from '../../store/eventLog';
import {
  getComponent, getExperiment, getPrediction, getVersion, listChanges, listComponentDocs, listExperiments, listPredictionDocs, listVersions,
  setPredictionExecuting, usageByVersion, VersionDoc, ComponentDoc, ExperimentDoc,
} from '../../store/evolutionStore';
import { readChangeRules, writeChangeRules } from '../../store/settingsStore';
import { approveExperimentUpdate, rejectExperimentUpdate } from '../../workflows/evolutionMessages';
import type { ApiDeps } from '../deps';
import { ApiError, Identifier, notFound, parseInput } from '../errors';

const CreateExperimentInput = z.object({
  component: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  version_a: z.string().regex(/^[0-9a-f]{12}$/, 'not a version (12 hex characters)').optional(),
  version_b: z.string().regex(/^[0-9a-f]{12}$/, 'not a version (12 hex characters)').optional(),
  goal: z.string().trim().max(500).optional(),
  repetitions: z.number().int().min(1).max(20).default(2),
  seed: z.number().int().min(0).max(2 ** 31).optional(),
}).strict().refine((b) => !b.version_a || b.version_a !== b.version_b, { message: 'version_a and version_b must differ', path: ['version_b'] });
const DecisionInput = z.object({ by: z.string().trim().min(1).max(100).default('console user'), reason: z.string().trim().max(500).optional() }).strict();
const Version = z.string().regex(/^[0-9a-f]{12}$/, 'not a version (12 hex characters)');
/** A query-string value: unchanged lines around each change, or the whole file. */
const DiffContextInput = z.string().regex(/^(all|\d{1,6})$/, 'context: not a number of lines or "all"')
  .transform((s) => (s === 'all' ? 'all' as const : Number(s))).optional();

/** An experiment whose workflow has not stored it yet (still proposing), or closed before it could. */
export interface UnstoredExperiment { id: string; status: 'running' | 'failed'; stage: string }

export type VersionView = ComponentVersion & { usage_count: number; last_used: string | null };
export interface ComponentView extends ComponentSummary { versions: VersionView[] }

const toVersionView = (v: VersionDoc, usage: Awaited<ReturnType<typeof usageByVersion>>): VersionView => {
  const { _id, code: _c, manifest: _m, ...rest } = v;
  const u = usage.get(v.version);
  return {
    ...rest,
    performance_metrics: u ? { ...u, error_rate: u.usage_count ? u.error_count / u.usage_count : 0, avg_latency_ms: u.usage_count ? u.total_latency_ms / u.usage_count : 0 } : null,
    usage_count: u?.usage_count ?? 0, last_used: u?.last_used ?? null,
  };
};
const toExperiment = ({ _id, ...e }: ExperimentDoc): Experiment => e;

/** Components, versions, experiments, predictions and change rules: the evolution use cases, shared by REST, GraphQL and /ws/meta. */
export function createEvolutionService(deps: ApiDeps) {
  const { db, env, temporal } = deps;
  const start = (workflow: string, workflowId: string, args: unknown[]) =>
    temporal.workflow.start(workflow, { taskQueue: env.EVOSCOPE_TASK_QUEUE, workflowId, args });

  async function componentView(doc: ComponentDoc): Promise<ComponentView> {
    const [versions, usage] = await Promise.all([listVersions(db, doc._id), usageByVersion(db, doc._id)]);
    const views = versions.map((v) => toVersionView(v, usage));
    const { _id, ...rest } = doc;
    return {
      ...rest, id: doc._id, versions: views,
      usage_count: views.reduce((a, v) => a + v.usage_count, 0),
      last_used: views.map((v) => v.last_used).filter((x): x is string => Boolean(x)).sort().at(-1) ?? null,
    };
  }

  async function requireComponent(id: unknown) {
    const name = parseInput(Identifier, id);
    const doc = await getComponent(db, name);
    if (!doc) throw notFound(`component ${name}`);
    return doc;
  }

  async function requireExperiment(id: unknown) {
    const experimentId = parseInput(Identifier, id);
    const doc = await getExperiment(db, experimentId);
    if (!doc) throw notFound(`experiment ${experimentId}`);
    return doc;
  }

  async function startEvolution(input: Omit<EvolveComponentInput, 'evolutionId'> & { evolutionId?: string }) {
    const evolutionId = input.evolutionId ?? `exp-${randomUUID()}`;
    const workflowId = evolveWorkflowId(evolutionId);
    await start('evolveComponent', workflowId, [{ ...input, evolutionId }]);
    return { experiment_id: evolutionId, workflow_id: workflowId, status: 'running' as const };
  }

  /** A person's decision, as a workflow update: refused unless the experiment awaits approval; answers once it is recorded. */
  async function decide(id: unknown, input: unknown, approved: boolean): Promise<Experiment> {
    const experiment = await requireExperiment(id);
    const { by, reason } = parseInput(DecisionInput, input ?? {});
    if (experiment.status !== 'awaiting_approval') {
      throw new ApiError(409, 'CONFLICT', `experiment ${experiment.id} is ${experiment.status}, not awaiting approval`);
    }
    try {
      await temporal.workflow.getHandle(experiment.workflow_id)
        .executeUpdate(approved ? approveExperimentUpdate : rejectExperimentUpdate, { args: [{ by, reason: reason ?? null }] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ApiError(409, 'CONFLICT', err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError) throw new ApiError(409, 'CONFLICT', `experiment ${experiment.id} is no longer running`);
      throw err;
    }
    return toExperiment((await getExperiment(db, experiment.id)) ?? experiment);
  }

  return {
    async listComponents(): Promise<ComponentView[]> {
      return Promise.all((await listComponentDocs(db)).map(componentView));
    },

    async componentHistory(id: unknown) {
      const doc = await requireComponent(id);
      return { ...(await componentView(doc)), changes: (await listChanges(db, doc._id)).map(({ _id, ...c }) => ({ id: _id, ...c })) };
    },

    async componentVersion(id: unknown, version: unknown) {
      const doc = await requireComponent(id);
      const v = await getVersion(db, doc._id, parseInput(Version, version));
      if (!v) throw notFound(`version ${String(version)} of ${doc._id}`);
      return { ...toVersionView(v, await usageByVersion(db, doc._id)), code: v.code };
    },

    /** `context`: unchanged lines around each change as a string ("3" if absent), or "all" for the whole file. */
    async diff(id: unknown, versionA: unknown, versionB: unknown, context?: unknown) {
      const doc = await requireComponent(id);
      const lines = parseInput(DiffContextInput, context);
      const [a, b] = await Promise.all([getVersion(db, doc._id, parseInput(Version, versionA)), getVersion(db, doc._id, parseInput(Version, versionB))]);
      if (!a) throw notFound(`version ${String(versionA)} of ${doc._id}`);
      if (!b) throw notFound(`version ${String(versionB)} of ${doc._id}`);
      const d = diffText(a.code, b.code, { old: `${doc.file_path}@${a.version}`, new: `${doc.file_path}@${b.version}` }, lines);
      return { component: doc._id, version_a: a.version, version_b: b.version, ...d };
    },

    /** Runs the `rollbackComponent` workflow (the worker writes the file) and returns the component after it. */
    async rollback(id: unknown, version: unknown, input: unknown) {
      const doc = await requireComponent(id);
      const target = parseInput(Version, version);
      if (!(await getVersion(db, doc._id, target))) throw notFound(`version ${target} of ${doc._id}`);
      const { by, reason } = parseInput(DecisionInput, input ?? {});
      const args: RollbackComponentInput = { component: doc._id, version: target, requestedBy: by, reason: reason ?? `rolled back to ${target} by ${by}`, experimentId: null };
      const result = await temporal.workflow.execute('rollbackComponent', {
        taskQueue: env.EVOSCOPE_TASK_QUEUE, workflowId: rollbackWorkflowId(doc._id, target, randomUUID()), args: [args],
      }) as { from: string | null; to: string };
      return { ...result, component: await componentView((await getComponent(db, doc._id))!) };
    },

    /** The newest meta events, oldest first. */
    async timeline(limit = 200): Promise<StoredEvent[]> {
      const head = await lastSeq(db, META_STREAM);
      return readEvents(db, META_STREAM, Math.max(0, head - limit), limit);
    },

    /**
     * Recomputed by the worker (`analyseComponents` workflow), at most once per minute. The id names
     * the task queue: deployments sharing a Temporal namespace must not join each other's analysis.
     */
    async predictions(): Promise<Prediction[]> {
      const minute = new Date().toISOString().slice(0, 16);
      try {
        return (await temporal.workflow.execute('analyseComponents', {
          taskQueue: env.EVOSCOPE_TASK_QUEUE, workflowId: `analyse-components:${env.EVOSCOPE_TASK_QUEUE}:${minute}`, args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
        })) as Prediction[];
      } catch {
        const stored = await listPredictionDocs(db);
        return stored.map(({ _id, ...p }) => p).sort((a, b) => b.priority - a.priority);
      }
    },

    async executePrediction(id: unknown) {
      const predictionId = parseInput(Identifier, id);
      const p = await getPrediction(db, predictionId);
      if (!p) throw notFound(`prediction ${predictionId}`);
      if (!p.executable) throw new ApiError(409, 'CONFLICT', `prediction ${predictionId} cannot be carried out automatically`);
      if (p.status === 'executing') throw new ApiError(409, 'CONFLICT', `prediction ${predictionId} is already being carried out (${p.experiment_id})`);
      const evolutionId = `exp-${randomUUID()}`;
      await setPredictionExecuting(db, predictionId, evolutionId);
      return startEvolution({
        evolutionId, component: p.component, goal: p.title, predictionId, seed: Math.floor(Math.random() * 2 ** 31),
        candidateVersion: null, repetitions: 2, requestedBy: 'prediction',
      });
    },

    async createExperiment(input: unknown) {
      const body = parseInput(CreateExperimentInput, input ?? {});
      const component = await requireComponent(body.component);
      if (!(await loadSuite(env.EVOSCOPE_SUITES_DIR, component._id))) throw new ApiError(409, 'CONFLICT', `${component._id} has no test suite, so it cannot be evolved`);
      for (const version of [body.version_a, body.version_b]) {
        if (version && !(await getVersion(db, component._id, version))) throw notFound(`version ${version} of ${component._id}`);
      }
      if (body.version_b && !body.version_a && body.version_b === component.current_version) {
        throw new ApiError(400, 'BAD_USER_INPUT', `version_b ${body.version_b} is the current version; choose another B, or an A to compare it with`);
      }
      return startEvolution({
        component: component._id, goal: body.goal ?? null, predictionId: null, seed: body.seed ?? Math.floor(Math.random() * 2 ** 31),
        baselineVersion: body.version_a ?? null, candidateVersion: body.version_b ?? null, repetitions: body.repetitions, requestedBy: 'api',
      });
    },

    /** The stored experiment; before it is stored (still proposing) its workflow's stage. */
    async experiment(id: unknown): Promise<Experiment | UnstoredExperiment> {
      const experimentId = parseInput(Identifier, id);
      const doc = await getExperiment(db, experimentId);
      if (doc) return toExperiment(doc);
      try {
        const handle = temporal.workflow.getHandle(evolveWorkflowId(experimentId));
        const { status } = await handle.describe();
        // Closed before it stored anything (it failed, or was terminated): say so, not "running".
        if (status.name !== 'RUNNING') return { id: experimentId, status: 'failed', stage: `workflow ${status.name.toLowerCase()}` };
        return { id: experimentId, status: 'running', stage: await handle.query<string>('evolutionStage') };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw notFound(`experiment ${experimentId}`);
        throw err;
      }
    },

    async experiments(): Promise<Experiment[]> {
      return (await listExperiments(db)).map(toExperiment);
    },

    approve: (id: unknown, input: unknown) => decide(id, input, true),
    reject: (id: unknown, input: unknown) => decide(id, input, false),

    changeRules: (): Promise<ChangeRules> => readChangeRules(db),

    async updateChangeRules(input: unknown): Promise<ChangeRules> {
      const patch = parseInput(ChangeRulesPatch, input ?? {});
      const next = ChangeRules.parse({ ...(await readChangeRules(db)), ...patch });
      await writeChangeRules(db, next);
      await emitMetaEvent(db, `change_rules:${randomUUID()}`, { type: 'change_rules_updated', rules: next });
      return next;
    },
  };
}
export type EvolutionService = ReturnType<typeof createEvolutionService>;
