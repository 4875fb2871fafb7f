import { ActivityCancellationType, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';

const backoff = (initialInterval: '500ms' | '1s' | '2s', maximumAttempts: number): RetryPolicy => ({
  initialInterval,
  backoffCoefficient: 2,
  maximumAttempts,
});

/**
 * Errors that no retry can fix, besides those an activity throws as non-retryable itself
 * (`ApplicationFailure.nonRetryable`: an unknown component or version, no suite, nothing to judge):
 * input that fails its schema fails the same way every time.
 */
const NOT_TRANSIENT = ['ZodError'];

/**
 * Retries that outlast an outage of the store or of Temporal: the waits double from one second
 * up to 30 seconds, with no cap on attempts; the activity's schedule-to-close timeout bounds them.
 * For cheap steps that are safe to run twice (each store write is idempotent).
 */
const untilRecovered: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: NOT_TRANSIENT,
};
/** How long a cheap step keeps retrying an outage before its workflow records the failure. */
const OUTAGE_BUDGET = '30 minutes';

/**
 * Retries for long activities (a whole suite run, a candidate search): each attempt starts the
 * work again, so attempts are capped, but the waits double up to a minute, so the attempts span
 * five minutes of outage (from 1 s, 11 attempts: 1+2+…+32+4×60 = 303 s; from 2 s, 10 attempts:
 * 2+4+…+32+4×60 = 302 s), not the seconds that a cap without a maximum interval gave.
 */
const spanningOutage = (initialInterval: '1s' | '2s', maximumAttempts: number): RetryPolicy => ({
  initialInterval,
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts,
  nonRetryableErrorTypes: NOT_TRANSIENT,
});

/**
 * Every workflow's activity timeouts and retries, in one place: a workflow proxies its
 * activities through one of these, so steps of the same kind fail and retry alike.
 *
 * The evolution, experiment, generation, prediction and sweep profiles ride out an outage of
 * the store (the embedded PostgreSQL restarting, FerretDB restarting) of minutes: a step that
 * gave up after seconds failed the whole evolution. The chat-turn profiles keep their few quick
 * retries: a person is waiting on the turn, and its steps survive such an outage already.
 */
export const ACTIVITY_PROFILES = {
  /** Store writes and short steps of the evolution, experiment and generation workflows. */
  evolutionStep: { startToCloseTimeout: '2 minutes', scheduleToCloseTimeout: OUTAGE_BUDGET, retry: untilRecovered },
  /** Changing a component's current version: one check-and-write in the store, then its file. */
  versionChange: { startToCloseTimeout: '1 minute', scheduleToCloseTimeout: OUTAGE_BUDGET, retry: untilRecovered },
  /** A chat turn's bookkeeping and short steps (sandboxed components are limited to a second): quick, retried a few times; as activities or local activities. */
  chatStep: { startToCloseTimeout: '2 minutes', retry: backoff('500ms', 4) },
  /** Re-running one recorded step with its recorded input. */
  replayStep: { startToCloseTimeout: '5 minutes', retry: backoff('500ms', 3) },
  /** The streamed answer: heartbeats carry cancellation (stop) to it; the workflow waits for it to save the partial text. */
  streamedAnswer: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '10 seconds',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: backoff('1s', 3),
  },
  /** Analysing components (predictions) and sweeping: suite runs in the sandbox for minutes, heartbeating. */
  analysis: { startToCloseTimeout: '10 minutes', heartbeatTimeout: '2 minutes', retry: spanningOutage('1s', 11) },
  /** One experiment arm over the whole suite, with repetitions. */
  suiteRun: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: spanningOutage('1s', 11) },
  /** Proposing scores many mutants (or waits on a model); testing a generated tool runs its accepted suite: long, heartbeating. */
  proposing: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: spanningOutage('2s', 10) },
  /**
   * Drafting a generated tool, or a model's rewrite of a component, waits on a model and runs the
   * sandbox: few retries, since what fails it is mostly the model (an endpoint that keeps failing is
   * a fact to record, not an outage to wait out), and a failed draft is recorded as the generation's
   * refusal or the evolution's failure rather than left drafting for minutes.
   */
  drafting: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: backoff('2s', 3) },
} as const satisfies Record<string, ActivityOptions>;
