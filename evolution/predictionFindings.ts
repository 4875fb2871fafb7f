import type { PredictionRecord, SuiteSummary, VersionUsage } from '../domain/evolution';
import type { UnservedRequests } from './unservedRequests';

/**
 * What the analysis proposes from a component's metrics: failing suite cases, failing taught
 * cases, a slow p95, a live error spike, no use at all, tunables never evolved; and, for the
 * plan as a whole, requests no tool served. Each finding carries its expected gain, confidence
 * and effort, and a priority derived from them. Pure: the analysing activity gathers the facts
 * (running suites where a result is stale), calls these, and stores what they find.
 */

/** A prediction as the analysis finds it, before it is stored (the store adds id, status and times). */
export type Finding = Pick<
  PredictionRecord,
  | 'component'
  | 'kind'
  | 'title'
  | 'description'
  | 'expected_improvement'
  | 'confidence'
  | 'estimated_effort'
  | 'priority'
  | 'executable'
>;

/** What the analysis knows of one component and its current version. */
export interface ComponentFacts {
  component: string;
  /** The current version. */
  version: string;
  /** The current version's newest suite run, or null when it has none. */
  tests: SuiteSummary | null;
  /** Cases in the component's suite; null when it has no suite. */
  suiteCases: number | null;
  /** Taught cases the current version fails. */
  taughtFailing: number;
  /** Live runs of the current version; null when it never ran. */
  usage: Pick<VersionUsage, 'usage_count' | 'error_count'> | null;
  /** The current version's declared tunables. */
  tunables: string[];
  /** Some version of it came from an experiment or a model rewrite. */
  evolved: boolean;
  /** Time since the component was registered. */
  ageMs: number;
  /** A model is configured: only a rewrite can make code leaner (the offline operator tunes for score). */
  canRewrite: boolean;
}

const SLOW_P95_MS = 50;
const ERROR_SPIKE_RATE = 0.2;
const MIN_LIVE_RUNS = 5;
/** A component younger than this has had no chance to be used yet. */
const UNUSED_AFTER_MS = 3600_000;
/** Requests no tool served are proposed once there are this many (one odd message is not a missing tool). */
const MIN_UNSERVED = 2;
/** The pseudo component of proposals about the plan as a whole, not one component. */
const PLANNER = 'planner';

type Estimate = Pick<Finding, 'expected_improvement' | 'confidence' | 'estimated_effort'>;

/** Priority 1–10 from expected gain, confidence and effort (hours). */
export const priorityOf = (d: Estimate) =>
  Math.max(
    1,
    Math.min(
      10,
      Math.round(1 + 9 * Math.min(1, ((d.expected_improvement * d.confidence * 4) / Math.max(0.25, d.estimated_effort)) * 2)),
    ),
  );

const findingOf = (component: string, finding: Omit<Finding, 'component' | 'priority'>): Finding => ({
  component,
  ...finding,
  priority: priorityOf(finding),
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every finding about one component, in a fixed order. */
export function componentFindings(f: ComponentFacts): Finding[] {
  // The offline operator can carry it out: it has a suite to score against and tunables to move.
  const executable = f.suiteCases !== null && f.tunables.length > 0;
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, 'component' | 'priority' | 'executable'>, canRun = executable) =>
    findings.push(findingOf(f.component, { ...finding, executable: canRun }));
  const { tests, usage } = f;

  if (tests && tests.pass_rate < 1)
    add({
      kind: 'failing_cases',
      title: `${f.component}: ${tests.cases - tests.passed} of ${tests.cases} suite cases fail`,
      description: `Mean score ${tests.mean_score.toFixed(3)}; evolving it should pass more cases.`,
      expected_improvement: (1 - tests.mean_score) * 0.5,
      confidence: 0.5,
      estimated_effort: 1,
    });
  if (f.taughtFailing > 0 && f.suiteCases !== null)
    add({
      kind: 'taught_cases_fail',
      title: `${f.component}: ${plural(f.taughtFailing, 'taught case')} fail${f.taughtFailing === 1 ? 's' : ''}`,
      description: `People marked answers wrong that ${f.version} still gets wrong; evolving it against its suite (taught cases included) should learn the lesson.`,
      expected_improvement: Math.min(1, f.taughtFailing / f.suiteCases + 0.1),
      confidence: 0.6,
      estimated_effort: 1,
    });
  if (tests && tests.latency_p95_ms > SLOW_P95_MS)
    add(
      {
        kind: 'slow_p95',
        title: `${f.component}: p95 ${tests.latency_p95_ms.toFixed(0)} ms in the sandbox`,
        description: `Above ${SLOW_P95_MS} ms; a leaner version would answer faster${f.canRewrite ? '' : ' (it takes a model to rewrite it: configure one, or edit it by hand)'}.`,
        expected_improvement: 0.2,
        confidence: 0.3,
        estimated_effort: 2,
      },
      executable && f.canRewrite,
    );
  if (usage && usage.usage_count >= MIN_LIVE_RUNS && usage.error_count / usage.usage_count > ERROR_SPIKE_RATE)
    add({
      kind: 'error_spike',
      title: `${f.component}: ${((usage.error_count / usage.usage_count) * 100).toFixed(0)} % of live runs fail`,
      description: `${usage.error_count} of ${usage.usage_count} runs of ${f.version} failed.`,
      expected_improvement: usage.error_count / usage.usage_count / 2,
      confidence: 0.6,
      estimated_effort: 1,
    });
  if ((!usage || usage.usage_count === 0) && f.ageMs > UNUSED_AFTER_MS)
    add(
      {
        kind: 'unused_component',
        title: `${f.component} has not been used`,
        description: 'No chat turn ran its current version; consider retiring or describing it better.',
        expected_improvement: 0,
        confidence: 0.4,
        estimated_effort: 0.5,
      },
      false,
    );
  if (executable && !f.evolved)
    add({
      kind: 'untuned_parameters',
      title: `${f.component}: tunables never evolved`,
      description: `Declares ${f.tunables.join(', ')}; the offline operator can search them against the suite.`,
      expected_improvement: 0.05,
      confidence: 0.3,
      estimated_effort: 0.5,
    });
  return findings;
}

/**
 * Requests no tool served, once there are enough of them: advice only (the offline operator
 * tunes existing components; a new tool takes a person, or a model).
 */
export function unservedFinding(unserved: UnservedRequests, canRewrite: boolean): Finding | null {
  if (unserved.unserved < MIN_UNSERVED) return null;
  return findingOf(PLANNER, {
    kind: 'unserved_requests',
    title: `${unserved.unserved} of ${unserved.turns} recent requests found no tool: e.g. "${unserved.examples[0]}"`,
    description:
      `The plan chose no tool, memory or docs step for these, or the one it chose failed (most recent first): ${unserved.examples.map((e) => `"${e}"`).join('; ')}. ` +
      (canRewrite
        ? 'A new tool would serve them: the configured model can draft one with a suite (POST /api/meta/generated-tools with this prediction_id); a person accepts the suite before it can be promoted.'
        : 'A new tool would serve them: a person can write one, or a configured model can draft one (set the model settings, LLM_BASE_URL, or start with EVOSCOPE_LOCAL_MODEL=1).'),
    expected_improvement: unserved.unserved / unserved.turns,
    confidence: Math.min(0.7, 0.2 + unserved.turns / 100),
    estimated_effort: 4,
    executable: false,
  });
}
