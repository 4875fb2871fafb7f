import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import {
  ChangeRules,
  ChangeRulesPatch,
  evolveWorkflowId,
  EvolveComponentInput,
  PredictionRecord,
  ROLLBACK_NEEDS_REASON,
  ROLLBACK_REFUSED,
  rollbackWorkflowId,
  RollbackComponentInput,
} from '../../domain/evolution';
import { META_STREAM } from '../../domain/events';
import {
  componentVersion,
  experiment,
  metaEvent,
  pendingExperiment,
  prediction,
  DecisionInput,
  ExperimentCreate,
  type Component,
  type Experiment,
  type ExperimentRequest,
  type MetaEvent,
  type Prediction,
} from '../../domain/meta';
import { loadComponentSuite } from '../../evaluation/componentSuite';
import { diffText } from '../../evolution/lineDiff';
import { emitMetaEvent } from '../../store/emit';
import { lastSeq, readEvents } from '../../store/eventLog';
import {
  getComponent,
  getExperiment,
  getExperimentRequests,
  getVersion,
  insertExperimentRequest,
  listChanges,
  listComponentDocs,
  listExperiments,
  listVersions,
  usageByVersion,
  ComponentDoc,
  ExperimentDoc,
} from '../../store/evolutionStore';
import { claimPrediction, getPrediction, listPredictions } from '../../store/predictionStore';
import { readChangeRules, updateChangeRules } from '../../store/settingsStore';
import { approveExperimentUpdate, rejectExperimentUpdate } from '../../workflows/evolutionMessages';
import type { ApiDeps } from '../deps';
import { Identifier } from '../../domain/identifier';
import { MAX_LIST_PAGE } from '../../domain/listPage';
import { ApiError, notFound, parseInput } from '../errors';
import { pageOrRefuse, parseListPage, unknownCursor } from '../listPages';
import { createEvolutionReconciler } from './evolutionReconciler';
import { withinRunTrace } from '../../telemetry/traceContext';

/** Experiments on a page unless a client asks for another number: the 200 newest, as before pages. */
const EXPERIMENTS_PAGE = 200;
/** A page of the timeline: its cursor is a seq of the meta stream (the oldest event of the page after it). */
const TimelinePage = z.object({
  limit: z.number().int().min(1).max(MAX_LIST_PAGE).default(200),
  before: z.number().int().min(1).optional(),
});
const Version = z.string().regex(/^[0-9a-f]{12}$/, 'not a version (12 hex characters)');
/** A query-string value: unchanged lines around each change, or the whole file. */
const DiffContextInput = z
  .string()
  .regex(/^(all|\d{1,6})$/, 'context: not a number of lines or "all"')
  .transform((s) => (s === 'all' ? ('all' as const) : Number(s)))
  .optional();

/** The rollback gate's refusal (workflows/rollbackComponent.ts) as the client's error, or null for any other failure. */
function rollbackRefusal(err: unknown): ApiError | null {
  const cause = err instanceof WorkflowFailedError ? err.cause : null;
  if (!(cause instanceof ApplicationFailure)) return null;
  if (cause.type === ROLLBACK_REFUSED) return new ApiError(409, 'ROLLBACK_REFUSED', cause.message);
  if (cause.type === ROLLBACK_NEEDS_REASON) return new ApiError(400, 'REASON_REQUIRED', cause.message);
  return null;
}

const toPrediction = ({ _id, ...p }: PredictionRecord & { _id?: string }): Prediction => prediction(p);

/** Components, versions, experiments, predictions and change rules: the evolution use cases, shared by REST, GraphQL and /ws/meta. */
export function createEvolutionService(deps: ApiDeps) {
  const { db, env, temporal } = deps;
  const reconciler = createEvolutionReconciler(deps);
  const start = (workflow: string, workflowId: string, args: unknown[]) =>
    temporal.workflow.start(workflow, { taskQueue: env.EVOSCOPE_TASK_QUEUE, workflowId, args });

  async function componentView(doc: ComponentDoc): Promise<Component> {
    const [versions, usage] = await Promise.all([listVersions(db, doc._id), usageByVersion(db, doc._id)]);
    const views = versions.map(({ _id, code: _c, manifest: _m, ...v }) => componentVersion(v, doc.type, usage.get(v.version)));
    const { _id, ...rest } = doc;
    return {
      ...rest,
      id: doc._id,
      versions: views,
      usage_count: views.reduce((a, v) => a + v.usage_count, 0),
      last_used:
        views
          .map((v) => v.last_used)
          .filter((x): x is string => Boolean(x))
          .sort()
          .at(-1) ?? null,
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

  /**
   * Every prediction, recomputed by the worker (`analyseComponents` workflow) at most once per
   * minute, or as stored when it cannot. The id names the task queue: deployments sharing a
   * Temporal namespace must not join each other's analysis.
   */
  async function analysedPredictions(): Promise<Prediction[]> {
    const minute = new Date().toISOString().slice(0, 16);
    await reconciler.settleEndedRuns();
    try {
      return (
        (await temporal.workflow.execute('analyseComponents', {
          taskQueue: env.EVOSCOPE_TASK_QUEUE,
          workflowId: `analyse-components:${env.EVOSCOPE_TASK_QUEUE}:${minute}`,
          args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
        })) as PredictionRecord[]
      ).map(toPrediction);
    } catch {
      return (await listPredictions(db)).map(toPrediction);
    }
  }

  /** Joins each stored experiment with what was asked for when it was created. */
  async function toExperiments(docs: ExperimentDoc[]): Promise<Experiment[]> {
    const requests = await getExperimentRequests(
      db,
      docs.map((d) => d._id),
    );
    return docs.map(({ _id, ...e }) => experiment(e, requests.get(_id) ?? null));
  }

  /** Records what was asked for (name, description, versions, suites), then starts the evolution. */
  async function startEvolution(
    input: Omit<EvolveComponentInput, 'evolutionId'> & { evolutionId?: string },
    asked: Pick<ExperimentRequest, 'name' | 'description' | 'test_suite'>,
  ) {
    const evolutionId = input.evolutionId ?? `exp-${randomUUID()}`;
    const workflowId = evolveWorkflowId(evolutionId);
    await insertExperimentRequest(db, {
      ...asked,
      id: evolutionId,
      component: input.component,
      version_a: input.baselineVersion ?? null,
      version_b: input.candidateVersion,
      created_at: new Date().toISOString(),
    });
    await withinRunTrace(workflowId, () => start('evolveComponent', workflowId, [{ ...input, evolutionId }]));
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
      await temporal.workflow
        .getHandle(experiment.workflow_id)
        .executeUpdate(approved ? approveExperimentUpdate : rejectExperimentUpdate, { args: [{ by, reason: reason ?? null }] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ApiError(409, 'CONFLICT', err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError)
        throw new ApiError(409, 'CONFLICT', `experiment ${experiment.id} is no longer running`);
      throw err;
    }
    return (await toExperiments([(await getExperiment(db, experiment.id)) ?? experiment]))[0];
  }

  return {
    /** A page of the components, by name; each read with its versions. */
    async listComponents(limit?: unknown, after?: unknown): Promise<Component[]> {
      const page = parseListPage(MAX_LIST_PAGE, limit, after);
      return Promise.all(pageOrRefuse(await listComponentDocs(db), (d) => d._id, page, 'component').map(componentView));
    },

    async componentHistory(id: unknown) {
      const doc = await requireComponent(id);
      return {
        ...(await componentView(doc)),
        changes: (await listChanges(db, doc._id)).map(({ _id, ...c }) => ({ id: _id, ...c })),
      };
    },

    async componentVersion(id: unknown, version: unknown) {
      const doc = await requireComponent(id);
      const v = await getVersion(db, doc._id, parseInput(Version, version));
      if (!v) throw notFound(`version ${String(version)} of ${doc._id}`);
      const { _id, code, manifest: _m, ...record } = v;
      return { ...componentVersion(record, doc.type, (await usageByVersion(db, doc._id)).get(v.version)), code };
    },

    /** `context`: unchanged lines around each change as a string ("3" if absent), or "all" for the whole file. */
    async diff(id: unknown, versionA: unknown, versionB: unknown, context?: unknown) {
      const doc = await requireComponent(id);
      const lines = parseInput(DiffContextInput, context);
      const [a, b] = await Promise.all([
        getVersion(db, doc._id, parseInput(Version, versionA)),
        getVersion(db, doc._id, parseInput(Version, versionB)),
      ]);
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
      const args: RollbackComponentInput = {
        component: doc._id,
        version: target,
        requestedBy: by,
        reason: reason || null,
        experimentId: null,
      };
      const result = (await temporal.workflow
        .execute('rollbackComponent', {
          taskQueue: env.EVOSCOPE_TASK_QUEUE,
          workflowId: rollbackWorkflowId(doc._id, target, randomUUID()),
          args: [args],
        })
        .catch((err: unknown) => {
          throw rollbackRefusal(err) ?? err;
        })) as { from: string | null; to: string };
      return { ...result, component: await componentView((await getComponent(db, doc._id))!) };
    },

    /** The newest `limit` meta events (200 by default) before seq `before` (or the newest overall), oldest first. */
    async timeline(limit?: unknown, before?: unknown): Promise<MetaEvent[]> {
      const page = parseInput(TimelinePage, { limit: limit ?? undefined, before: before ?? undefined });
      const head = await lastSeq(db, META_STREAM);
      const last = Math.min(head, (page.before ?? head + 1) - 1);
      const from = Math.max(0, last - page.limit);
      return last === 0 ? [] : (await readEvents(db, META_STREAM, from, last - from)).map(metaEvent);
    },

    /** A page of the predictions, highest priority first. */
    async predictions(limit?: unknown, after?: unknown): Promise<Prediction[]> {
      const page = parseListPage(MAX_LIST_PAGE, limit, after);
      return pageOrRefuse(await analysedPredictions(), (p) => p.id, page, 'prediction');
    },

    async executePrediction(id: unknown) {
      const predictionId = parseInput(Identifier, id);
      const p = await getPrediction(db, predictionId);
      if (!p) throw notFound(`prediction ${predictionId}`);
      if (!p.executable) throw new ApiError(409, 'CONFLICT', `prediction ${predictionId} cannot be carried out automatically`);
      const evolutionId = `exp-${randomUUID()}`;
      const claimed = async () => {
        if (await claimPrediction(db, predictionId, evolutionId)) return true;
        // Claimed by an evolution that may have ended without a word (terminated): settled, it can be claimed again.
        await reconciler.settleEndedRuns(predictionId);
        return claimPrediction(db, predictionId, evolutionId);
      };
      if (!(await claimed())) {
        throw new ApiError(
          409,
          'CONFLICT',
          `prediction ${predictionId} is already being carried out (${(await getPrediction(db, predictionId))?.experiment_id})`,
        );
      }
      return startEvolution(
        {
          evolutionId,
          component: p.component,
          goal: p.title,
          predictionId,
          seed: Math.floor(Math.random() * 2 ** 31),
          candidateVersion: null,
          repetitions: 2,
          requestedBy: 'prediction',
        },
        { name: p.title, description: p.description, test_suite: [] },
      );
    },

    async createExperiment(input: unknown) {
      const body = parseInput(ExperimentCreate, input ?? {});
      const component = await requireComponent(body.component_id ?? body.component);
      const suite = await loadComponentSuite(db, env.EVOSCOPE_SUITES_DIR, component._id);
      if (!suite) throw new ApiError(409, 'CONFLICT', `${component._id} has no test suite, so it cannot be evolved`);
      // The suite is named by its file (scaler.json); the bare component name names it too.
      const unknownSuites = (body.test_suite ?? []).filter((name) => name !== suite.name && `${name}.json` !== suite.name);
      if (unknownSuites.length) {
        throw new ApiError(
          400,
          'BAD_USER_INPUT',
          `test_suite: ${component._id} is tested by its one suite "${suite.name}"; unknown: ${unknownSuites.join(', ')}`,
        );
      }
      for (const version of [body.version_a, body.version_b]) {
        if (version && !(await getVersion(db, component._id, version))) throw notFound(`version ${version} of ${component._id}`);
      }
      if (body.version_b && !body.version_a && body.version_b === component.current_version) {
        throw new ApiError(
          400,
          'BAD_USER_INPUT',
          `version_b ${body.version_b} is the current version; choose another B, or an A to compare it with`,
        );
      }
      const goal = body.goal ?? body.description ?? null;
      return startEvolution(
        {
          component: component._id,
          goal,
          predictionId: null,
          seed: body.seed ?? Math.floor(Math.random() * 2 ** 31),
          baselineVersion: body.version_a ?? null,
          candidateVersion: body.version_b ?? null,
          repetitions: body.repetitions,
          requestedBy: 'api',
        },
        {
          name:
            body.name ??
            `${component._id}: ${goal ?? (body.version_b ? `${body.version_b} against ${body.version_a ?? 'the current version'}` : 'a new candidate')}`,
          description: body.description ?? goal ?? '',
          test_suite: [suite.name],
        },
      );
    },

    /** The stored experiment; before it is stored (still proposing) its workflow's stage. */
    async experiment(id: unknown): Promise<Experiment> {
      const experimentId = parseInput(Identifier, id);
      const stored = await getExperiment(db, experimentId);
      const doc = stored && (await reconciler.settleEndedExperiment(stored)) ? await getExperiment(db, experimentId) : stored;
      if (doc) return (await toExperiments([doc]))[0];
      const request = (await getExperimentRequests(db, [experimentId])).get(experimentId) ?? null;
      try {
        const workflowId = evolveWorkflowId(experimentId);
        const handle = temporal.workflow.getHandle(workflowId);
        const { status, startTime } = await handle.describe();
        const pending = { workflow_id: workflowId, created_at: startTime.toISOString() };
        // Closed before it stored anything (it failed, or was terminated): say so, not "running".
        if (status.name !== 'RUNNING')
          return pendingExperiment(experimentId, request, {
            ...pending,
            status: 'failed',
            stage: `workflow ${status.name.toLowerCase()}`,
          });
        return pendingExperiment(experimentId, request, {
          ...pending,
          status: 'running',
          stage: await handle.query<string>('evolutionStage'),
        });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw notFound(`experiment ${experimentId}`);
        throw err;
      }
    },

    /** A page of the experiments, newest first (200 by default, as many as the console lists). */
    async experiments(limit?: unknown, after?: unknown): Promise<Experiment[]> {
      const page = parseListPage(EXPERIMENTS_PAGE, limit, after);
      const docs = await listExperiments(db, page);
      if (docs === null) throw unknownCursor('experiment', page);
      return toExperiments(docs);
    },

    approve: (id: unknown, input: unknown) => decide(id, input, true),
    reject: (id: unknown, input: unknown) => decide(id, input, false),

    changeRules: (): Promise<ChangeRules> => readChangeRules(db),

    async updateChangeRules(input: unknown): Promise<ChangeRules> {
      const body = input ?? {};
      const parsed = parseInput(ChangeRulesPatch, body);
      // zod 4 fills a partial schema's defaults in: keep only the rules the request names, or every
      // other rule would be reset to its default.
      const patch = Object.fromEntries(Object.entries(parsed).filter(([rule]) => Object.hasOwn(body, rule)));
      const next = await updateChangeRules(db, patch);
      await emitMetaEvent(db, `change_rules:${randomUUID()}`, { type: 'change_rules_updated', rules: next });
      return next;
    },
  };
}
export type EvolutionService = ReturnType<typeof createEvolutionService>;
