import { z } from 'zod';
import { AutonomyLevel, ComponentType } from './enums';
import type { PairedTestResult } from './pairedTestResult';

/**
 * The evolution engine's contract: versions, experiments, change rules, predictions,
 * and the workflow inputs, ids and update names shared by API, worker and workflows.
 * Workflows import its types only: the ids and names they need live zod-free in
 * evolutionWorkflowNames.ts (re-exported here for everyone else).
 */

export { impossibleVerdict, type PairedTestResult } from './pairedTestResult';
export {
  abExperimentWorkflowId,
  APPROVE_UPDATE,
  currentVersionWorkflowId,
  EVOLUTION_SWEEP_SCHEDULE_ID,
  evolveWorkflowId,
  experimentIdFor,
  REJECT_UPDATE,
  retestExperimentId,
  ROLLBACK_NEEDS_REASON,
  ROLLBACK_REFUSED,
  rollbackWorkflowId,
} from './evolutionWorkflowNames';

export const VersionCreator = z.object({
  kind: z.enum(['seed', 'file_watcher', 'person', 'experiment', 'prompt', 'rollback', 'generated']),
  detail: z.string().nullable(),
});
export type VersionCreator = z.infer<typeof VersionCreator>;

export const VersionStatus = z.enum(['current', 'previous', 'candidate', 'rejected']);
export type VersionStatus = z.infer<typeof VersionStatus>;

/** What one suite run found, stored on the version it measured. */
export interface SuiteSummary {
  suite: string;
  suite_hash: string;
  cases: number;
  passed: number;
  pass_rate: number;
  mean_score: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  errors: number;
  at: string;
}

/** Live usage of one version, summed over every worker that ran it. */
export interface VersionUsage {
  usage_count: number;
  error_count: number;
  total_latency_ms: number;
  last_used: string | null;
}

export interface VersionRecord {
  component: string;
  version: string;
  code_hash: string;
  file_path: string;
  parents: string[];
  created_by: VersionCreator;
  dependencies: string[];
  status: VersionStatus;
  /** Tunable defaults of this version (the offline operator moves these). */
  params: Record<string, number>;
  test_results: SuiteSummary | null;
  performance_metrics: (VersionUsage & { error_rate: number; avg_latency_ms: number }) | null;
  created_at: string;
}

export interface ComponentSummary {
  id: string;
  name: string;
  type: ComponentType;
  description: string;
  file_path: string;
  current_version: string;
  usage_count: number;
  last_used: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
}

/** Bounds on what evolution may do by itself; stored as a setting, editable through the API. */
export const ChangeRules = z.object({
  /** Smallest mean per-case score gain (0..1) a winner needs to be promoted. */
  min_improvement: z.number().min(0).max(1).default(0.01),
  /** `component:case_id` (or `case_id` for any component) that a candidate must pass. */
  must_pass_cases: z.array(z.string().max(200)).max(200).default([]),
  /** Never promoted without a person, at any autonomy level. */
  protected_components: z.array(z.string().max(64)).max(200).default([]),
  /** At semi_auto these wait for a person; at full they are promoted like any other. */
  critical_components: z.array(z.string().max(64)).max(200).default([]),
  /** A model-written rewrite (not a tunable change) counts as critical. */
  rewrites_are_critical: z.boolean().default(true),
  max_auto_promotions_per_hour: z.number().int().min(0).max(1000).default(3),
  approval_timeout_minutes: z
    .number()
    .min(0.1)
    .max(60 * 24 * 30)
    .default(24 * 60),
  /** After a promotion the live error rate and latency are watched this long. */
  watch_window_minutes: z
    .number()
    .min(0)
    .max(60 * 24 * 7)
    .default(30),
  watch_check_interval_minutes: z.number().min(0.05).max(60).default(1),
  /** Roll back when error rate rises by more than this (absolute, 0..1)… */
  max_error_rate_increase: z.number().min(0).max(1).default(0.1),
  /** …or mean latency grows by more than this ratio (0.5 = +50 %). */
  max_latency_increase_ratio: z.number().min(0).max(100).default(1),
  /** Live runs needed before the watch judges anything. */
  min_watch_samples: z.number().int().min(1).max(100000).default(5),
});
export type ChangeRules = z.infer<typeof ChangeRules>;
export const DEFAULT_CHANGE_RULES: ChangeRules = ChangeRules.parse({});
export const ChangeRulesPatch = ChangeRules.partial().strict();

/** Per case: mean score over the repetitions, so repetitions never inflate significance. */
export interface CaseResult {
  case_id: string;
  holdout: boolean;
  scores: number[];
  mean_score: number;
  passed: boolean;
  latencies_ms: number[];
  errors: number;
  failure: string | null;
}

export interface SuiteRun {
  component: string;
  version: string;
  suite: string;
  suite_hash: string;
  repetitions: number;
  cases: CaseResult[];
  summary: SuiteSummary;
}

export type Verdict = 'b_better' | 'a_better' | 'no_difference';

export interface Conclusion extends PairedTestResult {
  verdict: Verdict;
  /** Component version named the winner, or null for "no difference". */
  winner: string | null;
  alpha: number;
  must_pass_failed: string[];
  summary: string;
}

export const ExperimentStatus = z.enum([
  'running',
  'awaiting_approval',
  'completed',
  'approved',
  'rejected',
  'expired',
  'failed',
]);
export type ExperimentStatus = z.infer<typeof ExperimentStatus>;

export interface Decision {
  action: 'promote' | 'await_approval' | 'reject';
  outcome: 'promoted' | 'rejected' | 'expired' | 'not_promoted' | 'pending';
  reason: string;
  /** 'system' for automatic decisions, else who approved or rejected. */
  decided_by: string;
  autonomy_level: AutonomyLevel;
  at: string;
}

export interface ExperimentRecord {
  id: string;
  component: string;
  version_a: string;
  version_b: string;
  goal: string | null;
  test_suite: { name: string; hash: string } | null;
  repetitions: number;
  status: ExperimentStatus;
  results_a: SuiteRun | null;
  results_b: SuiteRun | null;
  conclusion: Conclusion | null;
  decision: Decision | null;
  rolled_back: { at: string; reason: string } | null;
  workflow_id: string;
  prediction_id: string | null;
  created_at: string;
  updated_at: string;
}

export const PredictionKind = z.enum([
  'failing_cases',
  'slow_p95',
  'error_spike',
  'unused_component',
  'untuned_parameters',
  'unserved_requests',
  'taught_cases_fail',
]);
export type PredictionKind = z.infer<typeof PredictionKind>;

export interface PredictionRecord {
  id: string;
  component: string;
  kind: PredictionKind;
  title: string;
  description: string;
  expected_improvement: number;
  confidence: number;
  estimated_effort: number;
  priority: number;
  executable: boolean;
  status: 'open' | 'executing' | 'done' | 'failed';
  experiment_id: string | null;
  actual_improvement: number | null;
  /** Why the evolution carrying it out ended without an outcome (status `failed`); null otherwise. */
  failure: string | null;
  created_at: string;
  updated_at: string;
}

// ── Workflows ───────────────────────────────────────────────────────────────

export interface EvolveComponentInput {
  evolutionId: string;
  component: string;
  goal: string | null;
  predictionId: string | null;
  /** Seeds the offline operator: the same seed proposes the same candidate. */
  seed: number;
  /** An existing version to test (B) instead of proposing one. */
  candidateVersion: string | null;
  /**
   * The version to compare against (A); absent or null means the current version. When A is
   * not the current version the experiment only compares: nothing is promoted.
   */
  baselineVersion?: string | null;
  repetitions: number;
  requestedBy: string;
}

export interface EvolveComponentResult {
  experimentId: string;
  outcome: Decision['outcome'] | 'no_candidate' | 'failed';
  candidateVersion: string | null;
  rolledBack: boolean;
  reason: string;
}

export interface AbExperimentInput {
  experimentId: string;
  component: string;
  versionA: string;
  versionB: string;
  repetitions: number;
  seed: number;
}

export interface RollbackComponentInput {
  component: string;
  version: string;
  requestedBy: string;
  /** The person's own reason (null: none given); a version that never won needs one (evolution/decideRollback.ts). */
  reason: string | null;
  experimentId: string | null;
}

/**
 * A change of a component's current version, made only by its one writer (workflow
 * changeCurrentVersion, one run per component at a time): promote if the base is still current,
 * roll back, or (a person's rollback) change unconditionally.
 */
export interface CurrentVersionChange {
  component: string;
  version: string;
  kind: 'promote' | 'rollback';
  /** Change only if this is still the current version; null: whatever is current. */
  expectedCurrent: string | null;
  by: VersionCreator;
  reason: string;
  experimentId: string | null;
  /** Idempotency key of the change (workflow id + step). */
  key: string;
}
export type CurrentVersionChangeResult =
  | { changed: true; from: string | null; to: string }
  /** The expected version was no longer current: nothing changed. */
  | { changed: false; current: string };

export interface EvolutionSweepInput {
  maxExecutions: number;
}

/** How many predictions a sweep computed and which evolutions it started, at which autonomy level. */
export interface EvolutionSweepResult {
  predictions: number;
  started: string[];
  level: AutonomyLevel;
}

/** A person's approval or rejection of an experiment awaiting one. */
export interface ApprovalInput {
  by: string;
  reason: string | null;
}
