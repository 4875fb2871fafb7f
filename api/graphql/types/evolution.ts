import { z } from 'zod';
import { META_STREAM, StoredEvent } from '../../../domain/events';
import type { Experiment, Prediction } from '../../../domain/evolution';
import { parseInput } from '../../errors';
import type { ComponentView, UnstoredExperiment, VersionView } from '../../services/evolutionService';
import { builder } from '../builder';

/** Components, versions, experiments, predictions and change rules; nested records travel as JSON. */
const AfterSeq = z.number().int().min(0).default(0);

const ComponentVersionRef = builder.objectRef<VersionView>('ComponentVersion').implement({
  fields: (t) => ({
    version: t.exposeString('version'),
    code_hash: t.exposeString('code_hash'),
    file_path: t.exposeString('file_path'),
    parents: t.exposeStringList('parents'),
    status: t.exposeString('status'),
    created_by: t.field({ type: 'JSON', resolve: (v) => v.created_by }),
    dependencies: t.exposeStringList('dependencies'),
    params: t.field({ type: 'JSON', resolve: (v) => v.params }),
    test_results: t.field({ type: 'JSON', nullable: true, resolve: (v) => v.test_results }),
    performance_metrics: t.field({ type: 'JSON', nullable: true, resolve: (v) => v.performance_metrics }),
    usage_count: t.exposeInt('usage_count'),
    last_used: t.exposeString('last_used', { nullable: true }),
    created_at: t.exposeString('created_at'),
  }),
});

const ComponentRef = builder.objectRef<ComponentView>('Component').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    description: t.exposeString('description'),
    file_path: t.exposeString('file_path'),
    current_version: t.exposeString('current_version'),
    usage_count: t.exposeInt('usage_count'),
    last_used: t.exposeString('last_used', { nullable: true }),
    tags: t.exposeStringList('tags'),
    versions: t.field({ type: [ComponentVersionRef], resolve: (c) => c.versions }),
    created_at: t.exposeString('created_at'),
    updated_at: t.exposeString('updated_at'),
  }),
});

const DiffRef = builder.objectRef<{ component: string; version_a: string; version_b: string; unified: string; hunks: unknown[]; added: number; removed: number }>('ComponentDiff').implement({
  fields: (t) => ({
    component: t.exposeString('component'),
    version_a: t.exposeString('version_a'),
    version_b: t.exposeString('version_b'),
    unified: t.exposeString('unified'),
    hunks: t.field({ type: 'JSON', resolve: (d) => d.hunks }),
    added: t.exposeInt('added'),
    removed: t.exposeInt('removed'),
  }),
});

type ExperimentView = Experiment | UnstoredExperiment;
const ExperimentRef = builder.objectRef<ExperimentView>('Experiment').implement({
  description: 'An A/B experiment; before it is stored (still proposing a candidate, or closed before it could be) only id, status and stage are set.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.exposeString('status'),
    stage: t.string({ nullable: true, resolve: (e) => ('stage' in e ? e.stage : null) }),
    component: t.string({ nullable: true, resolve: (e) => ('component' in e ? e.component : null) }),
    version_a: t.string({ nullable: true, resolve: (e) => ('version_a' in e ? e.version_a : null) }),
    version_b: t.string({ nullable: true, resolve: (e) => ('version_b' in e ? e.version_b : null) }),
    goal: t.string({ nullable: true, resolve: (e) => ('goal' in e ? e.goal : null) }),
    test_suite: t.field({ type: 'JSON', nullable: true, resolve: (e) => ('test_suite' in e ? e.test_suite : null) }),
    results_a: t.field({ type: 'JSON', nullable: true, resolve: (e) => ('results_a' in e ? e.results_a : null) }),
    results_b: t.field({ type: 'JSON', nullable: true, resolve: (e) => ('results_b' in e ? e.results_b : null) }),
    conclusion: t.field({ type: 'JSON', nullable: true, resolve: (e) => ('conclusion' in e ? e.conclusion : null) }),
    decision: t.field({ type: 'JSON', nullable: true, resolve: (e) => ('decision' in e ? e.decision : null) }),
    rolled_back: t.field({ type: 'JSON', nullable: true, resolve: (e) => ('rolled_back' in e ? e.rolled_back : null) }),
    workflow_id: t.string({ nullable: true, resolve: (e) => ('workflow_id' in e ? e.workflow_id : null) }),
    created_at: t.string({ nullable: true, resolve: (e) => ('created_at' in e ? e.created_at : null) }),
    updated_at: t.string({ nullable: true, resolve: (e) => ('updated_at' in e ? e.updated_at : null) }),
    repetitions: t.int({ nullable: true, resolve: (e) => ('repetitions' in e ? e.repetitions : null) }),
    prediction_id: t.string({ nullable: true, resolve: (e) => ('prediction_id' in e ? e.prediction_id : null) }),
  }),
});

const StartedExperimentRef = builder.objectRef<{ experiment_id: string; workflow_id: string; status: string }>('StartedExperiment').implement({
  fields: (t) => ({ experiment_id: t.exposeID('experiment_id'), workflow_id: t.exposeString('workflow_id'), status: t.exposeString('status') }),
});

const PredictionRef = builder.objectRef<Prediction>('Prediction').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    component: t.exposeString('component'),
    kind: t.exposeString('kind'),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    expected_improvement: t.exposeFloat('expected_improvement'),
    confidence: t.exposeFloat('confidence'),
    estimated_effort: t.exposeFloat('estimated_effort', { description: 'hours' }),
    priority: t.exposeInt('priority', { description: '1–10' }),
    executable: t.exposeBoolean('executable'),
    status: t.exposeString('status'),
    experiment_id: t.exposeString('experiment_id', { nullable: true }),
    actual_improvement: t.exposeFloat('actual_improvement', { nullable: true }),
  }),
});

const MetaEventRef = builder.objectRef<StoredEvent>('MetaEvent').implement({
  description: 'A stored meta event; `data.type` is one of the catalog names (domain/events.ts MetaEventData).',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    type: t.string({ resolve: (e) => (e.data as { type: string }).type }),
    data: t.field({ type: 'JSON', resolve: (e) => e.data }),
    created_at: t.exposeString('created_at'),
  }),
});

const DecisionInput = builder.inputType('ExperimentDecisionInput', { fields: (t) => ({ by: t.string(), reason: t.string() }) });
const CreateExperimentInput = builder.inputType('CreateExperimentInput', {
  fields: (t) => ({
    component: t.string({ required: true }),
    version_a: t.string({ description: 'The baseline (A); default the current version. Any other version makes a comparison that promotes nothing.' }),
    version_b: t.string({ description: 'The candidate (B); default a new candidate the system proposes from A.' }),
    goal: t.string(), repetitions: t.int(), seed: t.int(),
  }),
});
const clean = (o: object | null | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v != null));

builder.queryFields((t) => ({
  components: t.field({ type: [ComponentRef], resolve: (_, __, ctx) => ctx.evolution.listComponents() }),
  component: t.field({ type: ComponentRef, args: { id: t.arg.id({ required: true }) }, resolve: (_, a, ctx) => ctx.evolution.componentHistory(a.id) }),
  component_diff: t.field({
    type: DiffRef,
    args: {
      id: t.arg.id({ required: true }), version_a: t.arg.string({ required: true }), version_b: t.arg.string({ required: true }),
      context: t.arg.string({ description: 'Unchanged lines around each change: a number (default 3), or "all" for the whole file.' }),
    },
    resolve: (_, a, ctx) => ctx.evolution.diff(a.id, a.version_a, a.version_b, a.context ?? undefined),
  }),
  evolution_timeline: t.field({ type: [MetaEventRef], resolve: (_, __, ctx) => ctx.evolution.timeline() }),
  predictions: t.field({ type: [PredictionRef], resolve: (_, __, ctx) => ctx.evolution.predictions() }),
  experiments: t.field({ type: [ExperimentRef], resolve: (_, __, ctx) => ctx.evolution.experiments() }),
  experiment: t.field({ type: ExperimentRef, args: { id: t.arg.id({ required: true }) }, resolve: (_, a, ctx) => ctx.evolution.experiment(a.id) }),
  change_rules: t.field({ type: 'JSON', resolve: (_, __, ctx) => ctx.evolution.changeRules() }),
}));

builder.mutationFields((t) => ({
  rollback_component: t.field({
    type: ComponentRef, args: { id: t.arg.id({ required: true }), version: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => (await ctx.evolution.rollback(a.id, a.version, undefined)).component,
  }),
  create_experiment: t.field({
    type: StartedExperimentRef, args: { input: t.arg({ type: CreateExperimentInput, required: true }) },
    resolve: (_, a, ctx) => ctx.evolution.createExperiment(clean(a.input)),
  }),
  approve_experiment: t.field({
    type: ExperimentRef, args: { id: t.arg.id({ required: true }), input: t.arg({ type: DecisionInput }) },
    resolve: (_, a, ctx) => ctx.evolution.approve(a.id, clean(a.input)),
  }),
  reject_experiment: t.field({
    type: ExperimentRef, args: { id: t.arg.id({ required: true }), input: t.arg({ type: DecisionInput }) },
    resolve: (_, a, ctx) => ctx.evolution.reject(a.id, clean(a.input)),
  }),
  execute_prediction: t.field({ type: StartedExperimentRef, args: { id: t.arg.id({ required: true }) }, resolve: (_, a, ctx) => ctx.evolution.executePrediction(a.id) }),
  update_change_rules: t.field({ type: 'JSON', args: { rules: t.arg({ type: 'JSON', required: true }) }, resolve: (_, a, ctx) => ctx.evolution.updateChangeRules(a.rules) }),
}));

builder.subscriptionFields((t) => ({
  meta_events: t.field({
    type: MetaEventRef,
    description: 'Every stored meta event with seq > after_seq, then live ones.',
    args: { after_seq: t.arg.int() },
    subscribe: (_, args, ctx) => ctx.deps.feed.subscribe(META_STREAM, parseInput(AfterSeq, args.after_seq ?? undefined), ctx.signal),
    resolve: (event) => event,
  }),
}));
