/** One experiment: live progress, A vs B per case, charts, the verdict in words, and the person's decision when it is theirs. */
import { useCallback, useEffect, useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  APPROVE_EXPERIMENT,
  EXPERIMENT_QUERY,
  REJECT_EXPERIMENT,
  type ExperimentResult,
  suiteRunOf,
} from '../api/evolutionDocuments';
import { DecisionActions } from '../components/DecisionActions';
import { ShowInGraphButton } from '../evolution/ShowInGraphButton';
import { formatDuration } from '../graph/nodeVisuals';
import { useNavigation } from '../layout/navigation';
import { experimentProgress } from '../state/metaEvents';
import { useMetaEvents } from '../state/useMetaStream';
import { LatencyChart, PassRateChart } from './ExperimentCharts';
import { ExperimentsPageHead } from './ExperimentsPageHead';
import { caseRows, decisionAvailability, statsOf, verdictInWords } from './experimentView';

const REFRESH_TYPES = new Set([
  'experiment_started',
  'learning_iteration',
  'experiment_decided',
  'version_rolled_back',
  'version_promoted',
]);
const POLL_WHILE_PROPOSING_MS = 1500;

const NO_VERDICT: Record<string, string> = {
  running: 'Not yet: the verdict uses the held-out cases once both versions have run.',
  failed: 'No verdict: the experiment failed before it could conclude (the cause is below).',
};

export const STATUS_NAMES: Record<string, string> = {
  running: 'running',
  awaiting_approval: 'awaiting approval',
  completed: 'completed',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'expired',
  failed: 'failed',
};

export function ExperimentPage({ id }: { id: string }) {
  const nav = useNavigation();
  const { state: meta } = useMetaEvents();
  const [{ data, error }, refetch] = useQuery<ExperimentResult>({ query: EXPERIMENT_QUERY, variables: { id } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const live = useMemo(() => experimentProgress(meta.events, id), [meta.events, id]);
  // Refetch when an event about this experiment says its record changed (an arm finished, a verdict, a decision).
  const revision = useMemo(() => {
    for (let i = meta.events.length - 1; i >= 0; i--) {
      const e = meta.events[i]!;
      const d = e.data as Record<string, unknown>;
      if (d.experiment_id !== id) continue;
      if (REFRESH_TYPES.has(e.type) || (e.type === 'learning_progress' && Number(d.progress) >= 1)) return e.seq;
    }
    return 0;
  }, [meta.events, id]);
  useEffect(() => {
    if (revision) refresh();
  }, [revision, refresh]);
  const e = data?.experiment ?? null;
  const proposing = e?.status === 'running' && !e.component;
  useEffect(() => {
    if (!proposing) return;
    const timer = setInterval(refresh, POLL_WHILE_PROPOSING_MS);
    return () => clearInterval(timer);
  }, [proposing, refresh]);

  const [approveState, approve] = useMutation(APPROVE_EXPERIMENT);
  const [rejectState, reject] = useMutation(REJECT_EXPERIMENT);
  const rows = useMemo(
    () => caseRows(suiteRunOf(e?.results_a), suiteRunOf(e?.results_b), live),
    [e?.results_a, e?.results_b, live],
  );
  const a = statsOf(rows, 'a');
  const b = statsOf(rows, 'b');

  if (error && !e)
    return (
      <div className="pad inline-error">
        Experiment {id}: {error.graphQLErrors[0]?.message ?? error.message}
      </div>
    );
  if (!e)
    return (
      <div className="pad muted">
        <span className="spinner" /> Loading experiment…
      </div>
    );
  const availability = decisionAvailability(e);
  const total = Math.max(rows.length, 1);
  /** A person's answer (the reason is optional), then the record as it now stands. */
  const answer = (approved: boolean, reason: string | null) =>
    void (approved ? approve : reject)({ id, input: { by: 'console user', ...(reason ? { reason } : {}) } }).then(refresh);
  const decisionError = approveState.error ?? rejectState.error;

  return (
    <div className="experiment-page" data-testid="experiment-page" data-status={e.status} data-experiment-id={e.id}>
      <ExperimentsPageHead
        title={e.component ?? 'proposing a candidate…'}
        status={{ className: `exp-${e.status}`, words: STATUS_NAMES[e.status] ?? e.status, testId: 'experiment-status' }}
        onBack={() => nav.openExperiment(null)}
      >
        <div className="muted small">
          {e.goal ? <>Goal: {e.goal} · </> : null}
          {e.created_at ? new Date(e.created_at).toLocaleString([], { hour12: false }) : null}
          {e.test_suite ? <> · suite {e.test_suite.name}</> : null}
          {e.repetitions ? <> · {e.repetitions} repetitions per case</> : null}
        </div>
        {e.component && e.version_a && e.version_b ? (
          <div className="experiment-arms">
            <span className="arm arm-a">
              A <code>{e.version_a.slice(0, 8)}</code>
            </span>
            <span className="muted">vs</span>
            <span className="arm arm-b">
              B <code>{e.version_b.slice(0, 8)}</code>
            </span>
            {e.version_a !== e.version_b ? (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => nav.openDiff({ component: e.component!, a: e.version_a!, b: e.version_b! })}
              >
                Open diff
              </button>
            ) : null}
            <ShowInGraphButton version={{ component: e.component, version: e.version_b }} />
          </div>
        ) : null}
      </ExperimentsPageHead>

      {e.status === 'running' ? (
        <section className="experiment-section" aria-label="Progress" data-testid="experiment-progress">
          <h4>Progress {e.stage ? <span className="muted small">· {e.stage}</span> : null}</h4>
          {live.stages.length === 0 ? (
            <div className="muted small">
              <span className="spinner" /> {proposing ? 'Proposing a candidate…' : 'Starting…'}
            </div>
          ) : null}
          {live.stages.map((s) => (
            <div className="progress-row" key={s.stage}>
              <span className="progress-label">{s.stage}</span>
              <progress max={1} value={s.progress} aria-label={s.stage} />
              <span className="progress-value">{Math.round(s.progress * 100)}%</span>
            </div>
          ))}
          <div className="muted small">
            {live.testsDone.a} cases done for A, {live.testsDone.b} for B
          </div>
        </section>
      ) : null}

      <section className="experiment-section" aria-label="Verdict" data-testid="experiment-verdict">
        <h4>Verdict</h4>
        {e.conclusion && e.version_a && e.version_b ? (
          <p className={`verdict verdict-${e.conclusion.verdict}`}>{verdictInWords(e.conclusion, e.version_a, e.version_b)}</p>
        ) : (
          <p className="muted small">{NO_VERDICT[e.status] ?? 'No verdict (no candidate was tested).'}</p>
        )}
        {e.decision ? (
          <div className={`decision-box outcome-${e.decision.outcome}`} data-testid="experiment-decision">
            {e.decision.outcome === 'pending' ? (
              <>
                <strong>Waiting for a person</strong>
                <span>{e.decision.reason}</span>
              </>
            ) : (
              <>
                <strong>{e.decision.outcome.replace('_', ' ')}</strong>
                <span>
                  by {e.decision.decided_by === 'system' ? 'the system' : e.decision.decided_by} at {e.decision.autonomy_level}:{' '}
                  {e.decision.reason}
                </span>
              </>
            )}
          </div>
        ) : null}
        {e.rolled_back ? (
          <div className="decision-box outcome-rejected">Rolled back afterwards: {e.rolled_back.reason}</div>
        ) : null}
        <DecisionActions
          enabled={availability.enabled}
          sending={approveState.fetching ? 'approve' : rejectState.fetching ? 'reject' : null}
          onAnswer={answer}
          testIds={{ approve: 'approve-button', reject: 'reject-button' }}
        />
        <div className={`small ${availability.enabled ? 'warn-text' : 'muted'}`} data-testid="decision-reason">
          {availability.enabled ? `Your decision: ${availability.reason}` : availability.reason}
        </div>
        {decisionError ? (
          <div className="inline-error">{decisionError.graphQLErrors[0]?.message ?? decisionError.message}</div>
        ) : null}
      </section>

      <section className="experiment-section charts" aria-label="Charts">
        <PassRateChart a={a} b={b} />
        <LatencyChart a={a} b={b} />
      </section>

      <section className="experiment-section" aria-label="Per-case results">
        <h4>
          Cases{' '}
          <span className="muted small">
            · {rows.length} of {suiteRunOf(e.results_a)?.cases.length ?? total}; held-out cases decide the verdict
          </span>
        </h4>
        <table className="case-table" data-testid="case-table">
          <thead>
            <tr>
              <th>case</th>
              <th>A</th>
              <th>score</th>
              <th>ms</th>
              <th>B</th>
              <th>score</th>
              <th>ms</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const differs = r.a && r.b && r.a.passed !== r.b.passed;
              return (
                <tr key={r.id} className={differs ? 'differs' : undefined}>
                  <td title={r.a?.failure ?? r.b?.failure ?? undefined}>
                    {r.id}
                    {r.holdout ? (
                      <span className="holdout" title="held out: used by the verdict">
                        H
                      </span>
                    ) : null}
                  </td>
                  <CaseCells cell={r.a} />
                  <CaseCells cell={r.b} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function CaseCells({
  cell,
}: {
  cell: { passed: boolean; score: number | null; latency: number | null; failure: string | null } | null;
}) {
  if (!cell)
    return (
      <>
        <td className="muted">…</td>
        <td />
        <td />
      </>
    );
  return (
    <>
      <td className={cell.passed ? 'pass' : 'fail'} title={cell.failure ?? undefined}>
        {cell.passed ? '✓' : '✕'}
      </td>
      <td className="num">{cell.score === null ? '—' : cell.score.toFixed(2)}</td>
      <td className="num">{cell.latency === null ? '—' : formatDuration(cell.latency)}</td>
    </>
  );
}
