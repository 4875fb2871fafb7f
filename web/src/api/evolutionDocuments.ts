/**
 * GraphQL documents of the evolution views (components, versions, experiments,
 * predictions, change rules, schedule) with the result shapes they read.
 * Nested records travel as JSON; their shapes are domain/evolution.ts.
 */
import type { z } from 'zod';
import { MetaEvent } from '../../../domain/meta';
import type {
  ComponentSummary,
  ChangeRules,
  Conclusion,
  Decision,
  ExperimentStatus,
  PredictionRecord,
  SuiteRun,
  SuiteSummary,
  VersionCreator,
  VersionStatus,
  VersionUsage,
} from '../../../domain/evolution';

/** The spec's dictionaries are {} when empty; the views read them through these as null. */
type EmptyDict = Record<string, never>;
const nonEmpty = <T extends object>(d: T | EmptyDict | null | undefined): T | null =>
  d && Object.keys(d).length ? (d as T) : null;
export type LiveUsage = Omit<VersionUsage, 'last_used'> & { error_rate: number; avg_latency_ms: number };
export const suiteSummaryOf = (v: Pick<VersionView, 'test_results'>) => nonEmpty(v.test_results);
export const usageOf = (v: Pick<VersionView, 'performance_metrics'>) => nonEmpty(v.performance_metrics);
export const suiteRunOf = (run: SuiteRun | EmptyDict | null | undefined) => nonEmpty(run);

/** A component version as the console selects it (domain/meta.ts ComponentVersion; `created_by` read as its object, `creator`). */
export interface VersionView {
  version: string;
  code_hash: string;
  file_path: string;
  parents: string[];
  status: VersionStatus;
  created_by: VersionCreator;
  dependencies: string[];
  params: Record<string, number>;
  test_results: SuiteSummary | EmptyDict;
  performance_metrics: LiveUsage | EmptyDict;
  usage_count: number;
  last_used: string | null;
  created_at: string;
}
/** A component as the components query selects it (no timestamps), with its versions. */
export interface ComponentView extends Omit<ComponentSummary, 'created_at' | 'updated_at'> {
  versions: VersionView[];
}
const VERSION_FIELDS =
  'version code_hash file_path parents status created_by: creator dependencies params test_results performance_metrics usage_count last_used created_at';
const COMPONENT_FIELDS = `id name type description file_path current_version usage_count last_used tags versions { ${VERSION_FIELDS} }`;

export const COMPONENTS_QUERY = `query Components { components { ${COMPONENT_FIELDS} } }`;
export interface ComponentsResult {
  components: ComponentView[];
}

export const ROLLBACK_COMPONENT = `mutation RollbackComponent($id: ID!, $version: String!, $input: ExperimentDecisionInput) { rollback_component(id: $id, version: $version, input: $input) { ${COMPONENT_FIELDS} } }`;
export interface RollbackComponentResult {
  rollback_component: ComponentView;
}

export interface DiffLineView {
  op: 'equal' | 'add' | 'remove';
  text: string;
  old_line: number | null;
  new_line: number | null;
}
export interface DiffHunkView {
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  lines: DiffLineView[];
}
export interface ComponentDiffView {
  component: string;
  version_a: string;
  version_b: string;
  unified: string;
  hunks: DiffHunkView[];
  added: number;
  removed: number;
}
/** `$context`: unchanged lines around each change ("3" if null), or "all" for the whole file. */
export const COMPONENT_DIFF_QUERY = `query ComponentDiff($id: ID!, $a: String!, $b: String!, $context: String) {
  component_diff(id: $id, version_a: $a, version_b: $b, context: $context) { component version_a version_b unified hunks added removed }
}`;
export interface ComponentDiffResult {
  component_diff: ComponentDiffView;
}

/** As the console selects it (domain/meta.ts Experiment; component_id read as `component`, suite as `test_suite`). Before it is stored (still proposing) component is "" or null. */
export interface ExperimentView {
  id: string;
  status: ExperimentStatus;
  stage: string | null;
  component: string | null;
  version_a: string | null;
  version_b: string | null;
  goal: string | null;
  test_suite: { name: string; hash: string } | null;
  results_a: SuiteRun | EmptyDict;
  results_b: SuiteRun | EmptyDict;
  conclusion: Conclusion | null;
  decision: Decision | null;
  rolled_back: { at: string; reason: string } | null;
  workflow_id: string | null;
  created_at: string | null;
  updated_at: string | null;
  repetitions: number | null;
  prediction_id: string | null;
}
/** The list leaves the per-case results out. */
const EXPERIMENT_LIST_FIELDS =
  'id status stage component: component_id version_a version_b goal conclusion decision rolled_back workflow_id created_at updated_at prediction_id';
const EXPERIMENT_FIELDS = `${EXPERIMENT_LIST_FIELDS} test_suite: suite results_a results_b repetitions`;
export type ExperimentSummary = Omit<ExperimentView, 'test_suite' | 'results_a' | 'results_b' | 'repetitions'>;
export const EXPERIMENTS_QUERY = `query Experiments { experiments { ${EXPERIMENT_LIST_FIELDS} } }`;
export interface ExperimentsResult {
  experiments: ExperimentSummary[];
}
export const EXPERIMENT_QUERY = `query Experiment($id: ID!) { experiment(id: $id) { ${EXPERIMENT_FIELDS} } }`;
export interface ExperimentResult {
  experiment: ExperimentView;
}

export const CREATE_EXPERIMENT = `mutation CreateExperiment($input: CreateExperimentInput!) { create_experiment(input: $input) { experiment_id workflow_id status } }`;
export interface StartedExperiment {
  experiment_id: string;
  workflow_id: string;
  status: string;
}
export interface CreateExperimentResult {
  create_experiment: StartedExperiment;
}
export const APPROVE_EXPERIMENT = `mutation ApproveExperiment($id: ID!, $input: ExperimentDecisionInput) { approve_experiment(id: $id, input: $input) { ${EXPERIMENT_FIELDS} } }`;
export const REJECT_EXPERIMENT = `mutation RejectExperiment($id: ID!, $input: ExperimentDecisionInput) { reject_experiment(id: $id, input: $input) { ${EXPERIMENT_FIELDS} } }`;

/** A prediction as PREDICTIONS_QUERY reads it: the stored record without its timestamps. */
export type PredictionView = Omit<PredictionRecord, 'created_at' | 'updated_at'>;
export const PREDICTIONS_QUERY = `query Predictions { predictions { id component: component_id kind title description expected_improvement confidence estimated_effort priority executable status experiment_id actual_improvement failure } }`;
export interface PredictionsResult {
  predictions: PredictionView[];
}
export const EXECUTE_PREDICTION = `mutation ExecutePrediction($id: ID!) { execute_prediction(id: $id) { experiment_id workflow_id status } }`;
export interface ExecutePredictionResult {
  execute_prediction: StartedExperiment;
}

export const CHANGE_RULES_QUERY = `query ChangeRules { change_rules }`;
export interface ChangeRulesResult {
  change_rules: ChangeRules;
}
export const UPDATE_CHANGE_RULES = `mutation UpdateChangeRules($rules: JSON!) { update_change_rules(rules: $rules) }`;
export interface UpdateChangeRulesResult {
  update_change_rules: ChangeRules;
}

export interface EvolutionSchedule {
  enabled: boolean;
  interval_minutes: number;
  next_run_at: string | null;
  last_run_at: string | null;
}
const SCHEDULE_FIELDS = 'enabled interval_minutes next_run_at last_run_at';
export const EVOLUTION_SCHEDULE_QUERY = `query EvolutionSchedule { evolution_schedule { ${SCHEDULE_FIELDS} } }`;
export interface EvolutionScheduleResult {
  evolution_schedule: EvolutionSchedule;
}
export const UPDATE_EVOLUTION_SCHEDULE = `mutation UpdateEvolutionSchedule($input: EvolutionScheduleInput!) { update_evolution_schedule(input: $input) { ${SCHEDULE_FIELDS} } }`;
export interface UpdateEvolutionScheduleResult {
  update_evolution_schedule: EvolutionSchedule;
}
export const RUN_EVOLUTION_SWEEP = `mutation RunEvolutionSweep { run_evolution_sweep { workflow_id level predictions started } }`;
export interface RunEvolutionSweepResult {
  run_evolution_sweep: { workflow_id: string; level: string; predictions: number; started: string[] };
}

/**
 * A meta event as the timeline query and the subscription select it: the fields of the API's MetaEvent
 * (domain/meta.ts), whose schema checks each one on receipt (state/metaEvents.ts readMetaEvents).
 */
export const MetaEventView = MetaEvent.pick({ seq: true, type: true, data: true, created_at: true });
export type MetaEventView = z.infer<typeof MetaEventView>;
export const EVOLUTION_TIMELINE_QUERY = `query EvolutionTimeline { evolution_timeline { seq type data created_at } }`;
export interface EvolutionTimelineResult {
  /** Unchecked until read through readMetaEvents. */
  evolution_timeline: unknown[];
}
export const META_EVENTS_SUBSCRIPTION = `subscription MetaEvents($after_seq: Int) { meta_events(after_seq: $after_seq) { seq type data created_at } }`;
