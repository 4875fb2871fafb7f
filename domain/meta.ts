import { z } from 'zod';
import { AutonomyLevel, ComponentType } from './enums';
import type { StoredEvent } from './events';
import {
  ExperimentStatus,
  PredictionKind,
  VersionCreator,
  VersionStatus,
  type ExperimentRecord,
  type PredictionRecord,
  type VersionRecord,
  type VersionUsage,
} from './evolution';

/**
 * Section 3 of the spec's meta, system and sandbox models (ComponentVersion, Component,
 * MetaEvent, SystemMetrics, Prediction, Experiment) as every API surface returns them: the spec's
 * fields under the spec's names and types, then Evoscope's extras. The store keeps richer records
 * (domain/evolution.ts); the functions here turn a record into its model, in one place.
 */

const Dict = z.record(z.string(), z.unknown());
const IsoTime = z.string().describe('ISO 8601');

export const ComponentVersion = z.object({
  // ── spec fields ──
  version: z.string().describe('The content hash prefix that names the version'),
  component_id: z.string(),
  component_type: ComponentType,
  created_at: IsoTime,
  created_by: z
    .string()
    .describe(
      'Who made it: seed, file_watcher, person, experiment, prompt, rollback or generated, then ":" and the detail (an experiment id, a person)',
    ),
  code_hash: z.string(),
  file_path: z.string(),
  dependencies: z.array(z.string()),
  test_results: Dict.describe(
    'The last suite run on this version (suite, cases, passed, pass_rate, mean_score, latencies); {} before any',
  ),
  performance_metrics: z
    .record(z.string(), z.number())
    .describe('Live usage: usage_count, error_count, error_rate, total_latency_ms, avg_latency_ms; {} before any use'),
  metadata: Dict.describe('status, parents and the tunable params of this version'),
  // ── Evoscope's extras ──
  creator: VersionCreator.describe('created_by as an object'),
  parents: z.array(z.string()),
  status: VersionStatus,
  params: z.record(z.string(), z.number()),
  usage_count: z.number().int(),
  last_used: z.string().nullable(),
});
export type ComponentVersion = z.infer<typeof ComponentVersion>;

export const Component = z.object({
  // ── spec fields ──
  id: z.string(),
  name: z.string(),
  type: ComponentType,
  description: z.string(),
  versions: z.array(ComponentVersion),
  current_version: z.string(),
  usage_count: z.number().int(),
  last_used: z.string().nullable().describe('ISO 8601'),
  tags: z.array(z.string()),
  // ── Evoscope's extras ──
  file_path: z.string(),
  created_at: IsoTime,
  updated_at: IsoTime,
});
export type Component = z.infer<typeof Component>;

const creatorText = (c: VersionCreator) => (c.detail ? `${c.kind}:${c.detail}` : c.kind);

export function componentVersion(
  record: VersionRecord,
  componentType: ComponentType,
  usage: VersionUsage | undefined,
): ComponentVersion {
  const { component, created_by, test_results, performance_metrics: _stored, status, parents, params, ...rest } = record;
  return {
    ...rest,
    component_id: component,
    component_type: componentType,
    created_by: creatorText(created_by),
    creator: created_by,
    test_results: test_results ? { ...test_results } : {},
    performance_metrics: usage
      ? {
          usage_count: usage.usage_count,
          error_count: usage.error_count,
          total_latency_ms: usage.total_latency_ms,
          error_rate: usage.usage_count ? usage.error_count / usage.usage_count : 0,
          avg_latency_ms: usage.usage_count ? usage.total_latency_ms / usage.usage_count : 0,
        }
      : {},
    metadata: { status, parents, params },
    status,
    parents,
    params,
    usage_count: usage?.usage_count ?? 0,
    last_used: usage?.last_used ?? null,
  };
}

// ── MetaEvent ──────────────────────────────────────────────────────────────

export const MetaEvent = z.object({
  // ── spec fields ──
  id: z.string().describe('stream:seq'),
  type: z.string().describe('The catalog name (domain/events.ts MetaEventData), e.g. component_generated, version_promoted'),
  timestamp: IsoTime,
  component_id: z.string().nullable(),
  component_version: z.string().nullable(),
  trigger: Dict.describe('What caused it: kind (person, system, experiment, prediction, file_watcher, seed, …) and detail'),
  data: Dict.describe('The event itself, with its type'),
  metadata: Dict.describe('stream, seq and the idempotency key the event was stored under'),
  // ── Evoscope's extras ──
  seq: z.number().int().describe('Position in the meta stream: resume after it'),
  created_at: IsoTime.describe('same as timestamp'),
});
export type MetaEvent = z.infer<typeof MetaEvent>;

type EventFields = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : null);

function triggerOf(d: EventFields): Record<string, unknown> {
  const creator = d.created_by as VersionCreator | undefined;
  if (creator?.kind) return { kind: creator.kind, detail: creator.detail ?? null };
  if (typeof d.decided_by === 'string') return { kind: d.decided_by === 'system' ? 'system' : 'person', detail: d.decided_by };
  if (d.automatic === true) return { kind: 'system', detail: str(d.reason) };
  if (typeof d.prediction_id === 'string') return { kind: 'prediction', detail: d.prediction_id };
  if (typeof d.experiment_id === 'string') return { kind: 'experiment', detail: d.experiment_id };
  return {
    kind: ['autonomy_level_changed', 'change_rules_updated', 'schedule_updated'].includes(String(d.type)) ? 'person' : 'system',
    detail: null,
  };
}

export function metaEvent(event: StoredEvent): MetaEvent {
  const d = (event.data ?? {}) as EventFields;
  return {
    id: `${event.stream}:${event.seq}`,
    type: String(d.type),
    timestamp: event.created_at,
    component_id: str(d.component),
    component_version: str(d.version) ?? str(d.version_b),
    trigger: triggerOf(d),
    data: d,
    metadata: { stream: event.stream, seq: event.seq, key: event.key },
    seq: event.seq,
    created_at: event.created_at,
  };
}

// ── SystemMetrics ──────────────────────────────────────────────────────────

export const STABILITY_WINDOW = 20;
export const TIMELINE_DAYS = 14;

/** Today's run figures (what /api/system/metrics returned before the spec's SystemMetrics). */
export const RunMetrics = z.object({
  runs_in_progress: z.number().int().describe('chat turns and replays running now'),
  turns_per_minute: z.number().describe('turns started in the last 5 minutes, per minute'),
  avg_turn_ms: z.number().describe('mean duration of the turns that finished in the last 5 minutes'),
  p95_turn_ms: z.number().describe('95th percentile of the same'),
  error_rate: z.number().describe('share of those turns that failed'),
  events_per_second: z.number().describe('events this API process delivered per second, recently'),
  total_turns: z.number().int().describe('turns ever run'),
  at: IsoTime,
});
export type RunMetrics = z.infer<typeof RunMetrics>;

export const MetricsDay = z.object({
  date: z.string().describe('YYYY-MM-DD (UTC)'),
  versions_created: z.number().int(),
  experiments: z.number().int().describe('experiments started that day'),
  promotions: z.number().int(),
  rollbacks: z.number().int().describe('promotions rolled back by the watch that day'),
});
export type MetricsDay = z.infer<typeof MetricsDay>;

export const SystemMetrics = z.object({
  // ── spec fields ──
  total_components: z.number().int().describe('components registered'),
  active_versions: z.number().int().describe('versions that are current or candidates still in an experiment'),
  deprecated_versions: z.number().int().describe('versions superseded (previous) or refused (rejected)'),
  autonomy_level: AutonomyLevel,
  avg_improvement_rate: z
    .number()
    .describe('mean effect (held-out score of B minus A, per case) over promoted experiments; 0 before any'),
  system_stability: z.number().describe(`share of the last ${STABILITY_WINDOW} promotions not rolled back; 1 before any`),
  total_auto_changes: z.number().int().describe('promotions the system decided itself plus automatic rollbacks'),
  change_success_rate: z
    .number()
    .describe(
      'share of decided experiments whose candidate was promoted and beat its parent on the held-out set (significant win, never rolled back); 0 before any',
    ),
  timeline: z.array(MetricsDay).describe(`per UTC day, the last ${TIMELINE_DAYS} days, oldest first`),
  // ── Evoscope's extras ──
  runs: RunMetrics,
});
export type SystemMetrics = z.infer<typeof SystemMetrics>;

// ── Prediction ─────────────────────────────────────────────────────────────

export const PredictionType = z.enum(['optimization', 'bug_fix', 'refactoring', 'new_component']);
export type PredictionType = z.infer<typeof PredictionType>;
const TYPE_OF_KIND: Record<PredictionKind, PredictionType> = {
  failing_cases: 'bug_fix',
  error_spike: 'bug_fix',
  slow_p95: 'optimization',
  untuned_parameters: 'optimization',
  unused_component: 'refactoring',
  unserved_requests: 'new_component',
  taught_cases_fail: 'bug_fix',
};

export const Prediction = z.object({
  // ── spec fields ──
  id: z.string(),
  type: PredictionType.describe('The kind of change: optimization, bug_fix, refactoring, new_component'),
  component_id: z.string().nullable(),
  description: z.string(),
  expected_improvement: z.number(),
  confidence: z.number(),
  estimated_effort: z.number().describe('hours'),
  priority: z.number().int().describe('1–10'),
  created_at: IsoTime,
  // ── Evoscope's extras ──
  kind: PredictionKind.describe('The finding behind it'),
  title: z.string(),
  executable: z.boolean(),
  status: z.enum(['open', 'executing', 'done', 'failed']),
  experiment_id: z.string().nullable(),
  actual_improvement: z.number().nullable(),
  failure: z
    .string()
    .nullable()
    .describe('Why the evolution carrying it out ended without an outcome (status failed: it can be executed again)'),
  updated_at: IsoTime,
});
export type Prediction = z.infer<typeof Prediction>;

export function prediction({ component, ...record }: PredictionRecord): Prediction {
  return { ...record, type: TYPE_OF_KIND[record.kind], component_id: component };
}

// ── Experiment ─────────────────────────────────────────────────────────────

const ComponentName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'not a component id');
/** The spec's ExperimentCreate (name, description, component_id, version_a, version_b, test_suite); `component` is an old alias of component_id. */
export const ExperimentCreate = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).optional(),
    component_id: ComponentName.optional(),
    component: ComponentName.optional(),
    version_a: z
      .string()
      .regex(/^[0-9a-f]{12}$/, 'not a version (12 hex characters)')
      .optional(),
    version_b: z
      .string()
      .regex(/^[0-9a-f]{12}$/, 'not a version (12 hex characters)')
      .optional(),
    test_suite: z.array(z.string().max(200)).max(20).optional(),
    goal: z.string().trim().max(500).optional(),
    repetitions: z.number().int().min(1).max(20).default(2),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
  })
  .strict()
  .refine((b) => b.component_id ?? b.component, { message: 'component_id is required', path: ['component_id'] })
  .refine((b) => !b.component_id || !b.component || b.component_id === b.component, {
    message: 'component (an alias of component_id) names another component',
    path: ['component'],
  })
  .refine((b) => !b.version_a || b.version_a !== b.version_b, {
    message: 'version_a and version_b must differ',
    path: ['version_b'],
  });
/** An experiment's workflow has started (created, or a prediction carried out). */
export const ExperimentStarted = z.object({ experiment_id: z.string(), workflow_id: z.string(), status: z.literal('running') });
export type ExperimentStarted = z.infer<typeof ExperimentStarted>;
/** A person's approve, reject or rollback: who, and why. */
export const DecisionInput = z
  .object({ by: z.string().trim().min(1).max(100).default('console user'), reason: z.string().trim().max(500).optional() })
  .strict();

/** What a person asked for when creating an experiment (stored once, by experiment id). */
export interface ExperimentRequest {
  id: string;
  name: string;
  description: string;
  component: string;
  version_a: string | null;
  version_b: string | null;
  test_suite: string[];
  created_at: string;
}

export const Experiment = z.object({
  // ── spec fields ──
  id: z.string(),
  name: z.string(),
  description: z.string(),
  component_id: z.string(),
  version_a: z.string().describe('the baseline'),
  version_b: z.string().describe('the candidate; "" while the system is still proposing it (see stage)'),
  test_suite: z.array(z.string()).describe('the suites run (a component has one: datasets/suites/<component>)'),
  status: ExperimentStatus,
  results_a: Dict.describe("A's suite run: per-case scores, latencies and a summary; {} until run"),
  results_b: Dict.describe("B's suite run; {} until run"),
  conclusion: Dict.nullable().describe("the paired test's verdict, effect, interval and p-value"),
  created_at: IsoTime,
  completed_at: IsoTime.nullable().describe('when it was decided (or failed)'),
  // ── Evoscope's extras ──
  stage: z.string().nullable().describe('what a running experiment is doing now'),
  goal: z.string().nullable(),
  suite: z.object({ name: z.string(), hash: z.string() }).nullable(),
  repetitions: z.number().int().nullable(),
  decision: Dict.nullable(),
  rolled_back: z.object({ at: z.string(), reason: z.string() }).nullable(),
  workflow_id: z.string().nullable(),
  prediction_id: z.string().nullable(),
  updated_at: IsoTime.nullable(),
});
export type Experiment = z.infer<typeof Experiment>;

const FINISHED: ExperimentStatus[] = ['completed', 'approved', 'rejected', 'expired', 'failed'];

/** A stored experiment, with what was asked for when it was created (if it was created through the API). */
export function experiment(record: ExperimentRecord, request: ExperimentRequest | null): Experiment {
  return {
    id: record.id,
    name:
      request?.name ??
      `${record.component}: ${record.goal ?? `${record.version_a.slice(0, 8)} vs ${record.version_b.slice(0, 8)}`}`,
    description: request?.description ?? record.goal ?? '',
    component_id: record.component,
    version_a: record.version_a,
    version_b: record.version_b,
    test_suite: record.test_suite ? [record.test_suite.name] : (request?.test_suite ?? []),
    status: record.status,
    results_a: record.results_a ? { ...record.results_a } : {},
    results_b: record.results_b ? { ...record.results_b } : {},
    conclusion: record.conclusion ? { ...record.conclusion } : null,
    created_at: record.created_at,
    completed_at:
      record.decision?.outcome && record.decision.outcome !== 'pending'
        ? record.decision.at
        : FINISHED.includes(record.status)
          ? record.updated_at
          : null,
    stage: null,
    goal: record.goal,
    suite: record.test_suite,
    repetitions: record.repetitions,
    decision: record.decision ? { ...record.decision } : null,
    rolled_back: record.rolled_back,
    workflow_id: record.workflow_id,
    prediction_id: record.prediction_id,
    updated_at: record.updated_at,
  };
}

/** An experiment its workflow has not stored yet (still proposing B), or that closed before it could. */
export function pendingExperiment(
  id: string,
  request: ExperimentRequest | null,
  state: { status: 'running' | 'failed'; stage: string; workflow_id: string; created_at: string },
): Experiment {
  return {
    id,
    name: request?.name ?? id,
    description: request?.description ?? '',
    component_id: request?.component ?? '',
    version_a: request?.version_a ?? '',
    version_b: request?.version_b ?? '',
    test_suite: request?.test_suite ?? [],
    status: state.status,
    results_a: {},
    results_b: {},
    conclusion: null,
    created_at: request?.created_at ?? state.created_at,
    completed_at: null,
    stage: state.stage,
    goal: null,
    suite: null,
    repetitions: null,
    decision: null,
    rolled_back: null,
    workflow_id: state.workflow_id,
    prediction_id: null,
    updated_at: null,
  };
}
