/** The drawer beside the evolution graph: one version's tests, metrics, the experiment behind it, its fate, and Roll back. */
import { useState } from 'react';
import { useMutation } from 'urql';
import {
  ROLLBACK_COMPONENT,
  suiteSummaryOf,
  usageOf,
  type ComponentView,
  type ExperimentSummary,
  type RollbackComponentResult,
  type VersionView,
} from '../api/evolutionDocuments';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { JsonView } from '../components/JsonView';
import { formatDuration } from '../graph/nodeVisuals';
import { useNavigation } from '../layout/navigation';
import { OUTCOME_NAMES, type VersionNodeData } from './lineageModel';

interface Props {
  placement: 'side' | 'bottom';
  component: ComponentView;
  version: VersionView;
  data: VersionNodeData;
  experiments: readonly ExperimentSummary[];
  onClose(): void;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString([], { hour12: false }) : '—');

export function VersionDetails({ placement, component, version, data, experiments, onClose }: Props) {
  const nav = useNavigation();
  const [confirming, setConfirming] = useState(false);
  const [rollbackReason, setRollbackReason] = useState('');
  const [rollbackState, rollback] = useMutation<RollbackComponentResult>(ROLLBACK_COMPONENT);
  const tests = suiteSummaryOf(version);
  const metrics = usageOf(version);
  const produced = data.experimentId ? (experiments.find((e) => e.id === data.experimentId) ?? null) : null;
  const involved = experiments.filter(
    (e) => e.component === component.name && (e.version_a === version.version || e.version_b === version.version),
  );
  const parent = version.parents[0] ?? null;
  const isCurrent = version.version === component.current_version;

  return (
    <div
      className={`node-drawer placement-${placement} version-drawer`}
      role="dialog"
      aria-label={`Version ${version.version}`}
      data-testid="version-details"
    >
      <header className="node-drawer-head">
        <div className="node-drawer-title">
          <h2>
            {component.name} <code>{version.version}</code>
          </h2>
          <div className="node-drawer-sub">
            {isCurrent ? <span className="version-current">current</span> : null}
            <span className={`outcome-pill outcome-${data.outcome}`}>{OUTCOME_NAMES[data.outcome]}</span>
            <span>by {data.createdBy}</span>
          </div>
        </div>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      <div className="node-drawer-actions">
        <button
          type="button"
          className="btn btn-danger btn-sm"
          disabled={isCurrent || rollbackState.fetching}
          onClick={() => setConfirming(true)}
          title={
            isCurrent ? 'This is already the current version' : 'Make this version current again (rewrites the component file)'
          }
        >
          {rollbackState.fetching ? 'Rolling back…' : '↶ Roll back to this'}
        </button>
        {!isCurrent ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => nav.openDiff({ component: component.name, a: component.current_version, b: version.version })}
          >
            Diff with current
          </button>
        ) : null}
        {parent ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => nav.openDiff({ component: component.name, a: parent, b: version.version })}
          >
            Diff with parent
          </button>
        ) : null}
      </div>
      {rollbackState.error ? (
        <div className="inline-error banner">
          Rollback failed: {rollbackState.error.graphQLErrors[0]?.message ?? rollbackState.error.message}
        </div>
      ) : null}
      {rollbackState.data && !rollbackState.fetching ? (
        <div className="inline-note" role="status">
          Rolled back: {component.name} is now at <code>{rollbackState.data.rollback_component.current_version.slice(0, 8)}</code>
          .
        </div>
      ) : null}
      <div className="node-drawer-scroll">
        <section className="drawer-section">
          <h3>Version</h3>
          <dl className="kv">
            <dt>Created</dt>
            <dd>{when(version.created_at)}</dd>
            <dt>Creator</dt>
            <dd>{data.createdBy}</dd>
            <dt>Parents</dt>
            <dd>
              {version.parents.length ? version.parents.map((p) => <code key={p}>{p.slice(0, 8)}</code>) : 'none (first version)'}
            </dd>
            <dt>File</dt>
            <dd className="mono-wrap">{version.file_path}</dd>
            <dt>Code hash</dt>
            <dd className="mono-wrap">{version.code_hash.slice(0, 16)}…</dd>
            <dt>Depends on</dt>
            <dd className="mono-wrap">{version.dependencies.join(', ') || '—'}</dd>
          </dl>
        </section>
        <section className="drawer-section">
          <h3>Test results</h3>
          {tests ? (
            <dl className="kv" data-testid="version-tests">
              <dt>Suite</dt>
              <dd>{tests.suite}</dd>
              <dt>Passed</dt>
              <dd>
                {tests.passed} / {tests.cases} ({pct(tests.pass_rate)})
              </dd>
              <dt>Mean score</dt>
              <dd>{tests.mean_score.toFixed(3)}</dd>
              <dt>Latency</dt>
              <dd>
                p50 {formatDuration(tests.latency_p50_ms)} · p95 {formatDuration(tests.latency_p95_ms)}
              </dd>
              <dt>Errors</dt>
              <dd>{tests.errors}</dd>
              <dt>Run at</dt>
              <dd>{when(tests.at)}</dd>
            </dl>
          ) : (
            <div className="muted small">Not tested yet: versions are tested when an experiment runs them.</div>
          )}
        </section>
        <section className="drawer-section">
          <h3>Live metrics</h3>
          {metrics ? (
            <dl className="kv">
              <dt>Runs</dt>
              <dd>{metrics.usage_count}</dd>
              <dt>Error rate</dt>
              <dd>{pct(metrics.error_rate)}</dd>
              <dt>Avg latency</dt>
              <dd>{formatDuration(metrics.avg_latency_ms)}</dd>
              <dt>Last used</dt>
              <dd>{when(version.last_used)}</dd>
            </dl>
          ) : (
            <div className="muted small">Not used in a chat turn yet.</div>
          )}
          <JsonView label="Tunable parameters" value={Object.keys(version.params).length ? version.params : null} />
        </section>
        <section className="drawer-section">
          <h3>Experiment and decision</h3>
          {produced ? (
            <div className="decision-box" data-testid="version-decision">
              <div>
                Tested against <code>{produced.version_a?.slice(0, 8)}</code> in{' '}
                <button type="button" className="link-btn" onClick={() => nav.openExperiment(produced.id)}>
                  experiment {produced.id.slice(0, 12)}…
                </button>
              </div>
              {produced.conclusion ? <div className="muted small">{produced.conclusion.summary}</div> : null}
              {produced.decision ? (
                <div className="small">
                  <strong>{produced.decision.outcome.replace('_', ' ')}</strong> by {produced.decision.decided_by} (
                  {produced.decision.autonomy_level}): {produced.decision.reason}
                </div>
              ) : (
                <div className="small muted">No decision yet.</div>
              )}
              {produced.rolled_back ? (
                <div className="small warn-text">
                  Rolled back {when(produced.rolled_back.at)}: {produced.rolled_back.reason}
                </div>
              ) : null}
            </div>
          ) : (
            <div className="muted small">
              {version.created_by.kind === 'seed'
                ? 'A seed version: read from components/ at start.'
                : 'Not produced by an experiment.'}
            </div>
          )}
          {involved.length > (produced ? 1 : 0) ? (
            <ul className="link-list">
              {involved
                .filter((e) => e !== produced)
                .map((e) => (
                  <li key={e.id}>
                    <button type="button" className="link-btn" onClick={() => nav.openExperiment(e.id)}>
                      {e.version_a === version.version ? 'baseline in' : 'candidate in'} {e.id.slice(0, 14)}…
                    </button>
                    <span className={`status-pill exp-${e.status}`}>{e.status.replace('_', ' ')}</span>
                  </li>
                ))}
            </ul>
          ) : null}
        </section>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={`Roll ${component.name} back to ${version.version.slice(0, 8)}?`}
          body={`The current version ${component.current_version.slice(0, 8)} stops being used; ${version.file_path} is rewritten with this version's code. You can roll forward again later.`}
          confirmLabel="Roll back"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            const reason = rollbackReason.trim();
            void rollback({ id: component.name, version: version.version, input: reason ? { reason } : null });
          }}
        >
          <label className="field">
            Reason (needed for a version that was never current, unless the change rules would promote it)
            <input type="text" value={rollbackReason} maxLength={500} onChange={(e) => setRollbackReason(e.target.value)} />
          </label>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
