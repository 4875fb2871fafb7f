/** Every experiment, newest first, with its status, arms and outcome, under the new-experiment form. */
import { useExperiments } from '../evolution/useEvolutionData';
import { useNavigation } from '../layout/navigation';
import { STATUS_NAMES } from './ExperimentPage';
import { NewExperimentForm } from './NewExperimentForm';

export function ExperimentList() {
  const nav = useNavigation();
  const { experiments, error } = useExperiments();
  const sorted = [...(experiments ?? [])].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  return (
    <>
      <NewExperimentForm />
      <section className="experiment-section">
        <h4>
          Experiments <span className="muted small">· {sorted.length}</span>
        </h4>
        {error ? <div className="inline-error">{error}</div> : null}
        {experiments && sorted.length === 0 ? (
          <div className="muted small">None yet: start one above, or execute a prediction in the meta panel.</div>
        ) : null}
        <ul className="experiment-list" data-testid="experiment-list">
          {sorted.map((e) => (
            <li key={e.id}>
              <button
                type="button"
                className={`experiment-item exp-${e.status}`}
                onClick={() => nav.openExperiment(e.id)}
                data-experiment-id={e.id}
              >
                <span className="experiment-item-top">
                  <strong>{e.component ?? '…'}</strong>
                  <span className={`status-pill exp-${e.status}`}>{STATUS_NAMES[e.status] ?? e.status}</span>
                  <span className="toolbar-spacer" />
                  <span className="muted small">
                    {e.created_at ? new Date(e.created_at).toLocaleTimeString([], { hour12: false }) : ''}
                  </span>
                </span>
                <span className="experiment-item-sub">
                  <code>{e.version_a?.slice(0, 8)}</code> vs <code>{e.version_b?.slice(0, 8)}</code>
                  {e.conclusion ? (
                    <>
                      {' '}
                      ·{' '}
                      {e.conclusion.verdict === 'b_better'
                        ? 'B better'
                        : e.conclusion.verdict === 'a_better'
                          ? 'A better'
                          : 'no difference'}
                    </>
                  ) : null}
                  {e.decision ? <> · {e.decision.outcome.replace('_', ' ')}</> : null}
                  {e.goal ? <> · {e.goal}</> : null}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
