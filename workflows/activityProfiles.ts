import { ActivityCancellationType, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';

const backoff = (initialInterval: '500ms' | '1s' | '2s', maximumAttempts: number): RetryPolicy => ({
  initialInterval,
  backoffCoefficient: 2,
  maximumAttempts,
});

/**
 * Every workflow's activity timeouts and retries, in one place: a workflow proxies its
 * activities through one of these, so steps of the same kind fail and retry alike.
 */
export const ACTIVITY_PROFILES = {
  /** Store writes and short steps of the evolution workflows. */
  evolutionStep: { startToCloseTimeout: '2 minutes', retry: backoff('500ms', 5) },
  /** Changing a component's current version: one check-and-write in the store, then its file. */
  versionChange: { startToCloseTimeout: '1 minute', retry: backoff('500ms', 5) },
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
  /** Analysing components and sweeping: suite runs in the sandbox for minutes, heartbeating. */
  analysis: { startToCloseTimeout: '10 minutes', heartbeatTimeout: '2 minutes', retry: backoff('1s', 3) },
  /** One experiment arm over the whole suite, with repetitions. */
  suiteRun: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: backoff('1s', 3) },
  /** Proposing scores many mutants (or waits on a model): long, heartbeating, few retries. */
  proposing: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: backoff('2s', 3) },
} as const satisfies Record<string, ActivityOptions>;
