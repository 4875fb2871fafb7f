/**
 * What crosses the evolution workflows' boundary with their activities (evolveComponent,
 * abExperiment, changeCurrentVersion, evolutionSweep, generateTool): the inputs and results the
 * activities take and give. The workflows' own inputs and results stay beside their nouns
 * (evolution.ts, generation.ts). Temporal records each of these in a workflow's history, so a
 * field added later must be optional (a running evolution replays against what it recorded).
 * Types only, no Node built-ins: workflows import it.
 */
import type { ChangeRules, Decision, ExperimentStatus } from './evolution';
import type { AcceptedCase, GenerationOutcome } from './generation';

/** A component's version, as a rollback's facts are read for it. */
export interface ComponentVersionRef {
  component: string;
  version: string;
}

/** The experiment an evolution opens before it runs either arm. */
export interface OpenExperimentInput {
  experimentId: string;
  component: string;
  versionA: string;
  versionB: string;
  goal: string | null;
  repetitions: number;
  workflowId: string;
  predictionId: string | null;
}

/** One arm of an experiment, run over the whole suite. */
export interface SuiteArmInput {
  experimentId: string;
  component: string;
  version: string;
  arm: 'a' | 'b';
  repetitions: number;
}

export interface JudgeInput {
  experimentId: string;
  seed: number;
}

/** What became of an experiment, and which version it would make current. */
export interface ExperimentDecisionInput {
  experimentId: string;
  component: string;
  decision: Decision;
  status: ExperimentStatus;
  candidateVersion: string | null;
}

/** What a proposer starts from. */
export interface ProposeInput {
  evolutionId: string;
  component: string;
  baseVersion: string;
  seed: number;
  goal: string | null;
}

/** A proposer's candidate; `version` is null when it found none. */
export interface Proposal {
  version: string | null;
  kind: 'tunables' | 'lexicon' | 'rewrite';
  detail: string;
  /** Mean score on the training cases (never the held-out ones). */
  base_train_score: number | null;
  candidate_train_score: number | null;
  params: Record<string, number> | null;
}

/** A promoted version watched against its parent, under the rules' thresholds. */
export interface RegressionInput {
  component: string;
  version: string;
  baselineVersion: string;
  rules: ChangeRules;
}

export interface RegressionCheck {
  regressed: boolean;
  reason: string;
  samples: number;
  error_rate: number;
  baseline_error_rate: number;
  avg_latency_ms: number;
  baseline_avg_latency_ms: number;
}

/** A prediction and the experiment (of the sweep's evolution) that carries it out. */
export interface PredictionClaim {
  predictionId: string;
  experimentId: string;
}

export interface PredictionOutcomeInput extends PredictionClaim {
  actualImprovement: number | null;
  /** Absent from workflows started before it existed. */
  failure?: string | null;
}

/** What drafting a generated tool came to. */
export interface DraftOutcome {
  drafted: boolean;
  name: string | null;
  /** Why the reply could not become a draft. */
  refusal: string | null;
}

/** A generation and the person acting on it. */
export interface GenerationAct {
  generationId: string;
  by: string;
}

/** The person's accepted (perhaps edited) suite, to run against the draft. */
export interface SuiteTestInput extends GenerationAct {
  cases: AcceptedCase[];
}

export interface SuiteTestResult {
  passed: number;
  total: number;
  failures: string[];
}

export interface GeneratedDecisionInput {
  generationId: string;
  outcome: GenerationOutcome;
  reason: string;
  decidedBy: string;
}

/** A run (an evolution, a generation) that has ended, to send its trace: its id and when its workflow started. */
export interface RunEnded {
  id: string;
  startedAt: string;
}
