import { z } from 'zod';
import { META_STREAM } from '../../../domain/events';
import type { ComponentDiff } from '../../../domain/componentHistory';
import {
  Component,
  ComponentVersion,
  Experiment,
  MetaEvent,
  metaEvent,
  Prediction,
  type ExperimentStarted,
} from '../../../domain/meta';
import { parseInput } from '../../errors';
import { builder } from '../builder';
import { decisionMutations } from '../decisionMutations';
import { MAX_LIST_PAGE } from '../../../domain/listPage';
import { listPageArgs } from '../listPageArgs';
import { withoutNulls } from '../withoutNulls';
import { zodFields } from '../zodFields';

/** Components, versions, experiments, predictions and change rules; nested records travel as JSON. */
const AfterSeq = z.number().int().min(0).default(0);

const ComponentVersionRef = builder
  .objectRef<ComponentVersion>('ComponentVersion')
  .implement({ fields: (t) => zodFields(t, ComponentVersion) });

const ComponentRef = builder.objectRef<Component>('Component').implement({
  fields: (t) => zodFields(t, Component, { versions: t.field({ type: [ComponentVersionRef], resolve: (c) => c.versions }) }),
});

const DiffRef = builder.objectRef<ComponentDiff>('ComponentDiff').implement({
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

const ExperimentRef = builder.objectRef<Experiment>('Experiment').implement({
  description:
    'An A/B experiment; before its workflow stores it (still proposing a candidate) version_b is "" and stage says what it is doing.',
  fields: (t) => zodFields(t, Experiment),
});

const StartedExperimentRef = builder.objectRef<ExperimentStarted>('StartedExperiment').implement({
  fields: (t) => ({
    experiment_id: t.exposeID('experiment_id'),
    workflow_id: t.exposeString('workflow_id'),
    status: t.exposeString('status'),
  }),
});

const PredictionRef = builder.objectRef<Prediction>('Prediction').implement({ fields: (t) => zodFields(t, Prediction) });

const MetaEventRef = builder.objectRef<MetaEvent>('MetaEvent').implement({
  description: "A stored meta event in the spec's envelope; `type` is one of the catalog names (domain/events.ts MetaEventData).",
  fields: (t) => zodFields(t, MetaEvent),
});

const DecisionInput = builder.inputType('ExperimentDecisionInput', { fields: (t) => ({ by: t.string(), reason: t.string() }) });
const CreateExperimentInput = builder.inputType('CreateExperimentInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ description: 'What the experiment is for; also the goal a new candidate is proposed for.' }),
    component_id: t.string({ description: 'Required (or its old alias `component`).' }),
    component: t.string({ description: 'Old alias of component_id.' }),
    test_suite: t.stringList({ description: 'The suites to run; a component has one, datasets/suites/<component>.' }),
    version_a: t.string({
      description: 'The baseline (A); default the current version. Any other version makes a comparison that promotes nothing.',
    }),
    version_b: t.string({ description: 'The candidate (B); default a new candidate the system proposes from A.' }),
    goal: t.string(),
    repetitions: t.int(),
    seed: t.int(),
  }),
});

builder.queryFields((t) => ({
  components: t.field({
    type: [ComponentRef],
    description: 'By name, with their versions.',
    args: listPageArgs('Components', 500, 'the id of the last component of this one.'),
    resolve: (_, a, ctx) => ctx.evolution.listComponents(a.limit, a.after),
  }),
  component: t.field({
    type: ComponentRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => ctx.evolution.componentHistory(a.id),
  }),
  component_diff: t.field({
    type: DiffRef,
    args: {
      id: t.arg.id({ required: true }),
      version_a: t.arg.string({ required: true }),
      version_b: t.arg.string({ required: true }),
      context: t.arg.string({
        description: 'Unchanged lines around each change: a number (default 3), or "all" for the whole file.',
      }),
    },
    resolve: (_, a, ctx) => ctx.evolution.diff(a.id, a.version_a, a.version_b, a.context ?? undefined),
  }),
  evolution_timeline: t.field({
    type: [MetaEventRef],
    description: 'The newest meta events, oldest first.',
    args: {
      limit: t.arg.int({ description: `Events on the page, 1-${MAX_LIST_PAGE} (200 by default)` }),
      before: t.arg.int({ description: 'The page before: the `seq` of the oldest event of this one.' }),
    },
    resolve: (_, a, ctx) => ctx.evolution.timeline(a.limit, a.before),
  }),
  predictions: t.field({
    type: [PredictionRef],
    description: 'Highest priority first.',
    args: listPageArgs('Predictions', 500, 'the id of the last prediction of this one.'),
    resolve: (_, a, ctx) => ctx.evolution.predictions(a.limit, a.after),
  }),
  experiments: t.field({
    type: [ExperimentRef],
    description: 'Newest first.',
    args: listPageArgs('Experiments', 200, 'the id of the last experiment of this one.'),
    resolve: (_, a, ctx) => ctx.evolution.experiments(a.limit, a.after),
  }),
  experiment: t.field({
    type: ExperimentRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => ctx.evolution.experiment(a.id),
  }),
  change_rules: t.field({ type: 'JSON', resolve: (_, __, ctx) => ctx.evolution.changeRules() }),
}));

builder.mutationFields((t) => ({
  rollback_component: t.field({
    type: ComponentRef,
    /** `input.reason` is required for a version that was never current and that the change rules leave to a person. */
    args: {
      id: t.arg.id({ required: true }),
      version: t.arg.string({ required: true }),
      input: t.arg({ type: DecisionInput }),
    },
    resolve: async (_, a, ctx) =>
      (await ctx.evolution.rollback(a.id, a.version, a.input ? withoutNulls(a.input) : undefined)).component,
  }),
  create_experiment: t.field({
    type: StartedExperimentRef,
    args: { input: t.arg({ type: CreateExperimentInput, required: true }) },
    resolve: (_, a, ctx) => ctx.evolution.createExperiment(withoutNulls(a.input)),
  }),
  ...decisionMutations(t, 'experiment', ExperimentRef, DecisionInput, (ctx, id, answer, approve) =>
    approve ? ctx.evolution.approve(id, answer) : ctx.evolution.reject(id, answer),
  ),
  execute_prediction: t.field({
    type: StartedExperimentRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, a, ctx) => ctx.evolution.executePrediction(a.id),
  }),
  update_change_rules: t.field({
    type: 'JSON',
    args: { rules: t.arg({ type: 'JSON', required: true }) },
    resolve: (_, a, ctx) => ctx.evolution.updateChangeRules(a.rules),
  }),
}));

builder.subscriptionFields((t) => ({
  meta_events: t.field({
    type: MetaEventRef,
    description: 'Every stored meta event with seq > after_seq, then live ones.',
    args: { after_seq: t.arg.int() },
    subscribe: (_, args, ctx) =>
      ctx.deps.feed.subscribe(META_STREAM, parseInput(AfterSeq, args.after_seq ?? undefined), ctx.signal),
    resolve: (event) => metaEvent(event),
  }),
}));
