/** Experiments waiting for a person, each a link to its page (where Approve / Reject are). */
import { pendingApprovals, useExperiments } from '../evolution/useEvolutionData';
import { useNavigation } from '../layout/navigation';

export function PendingApprovals() {
  const nav = useNavigation();
  const { experiments } = useExperiments();
  const pending = pendingApprovals(experiments);
  return (
    <section className="meta-section" aria-labelledby="pending-heading" data-testid="pending-approvals">
      <h3 id="pending-heading">
        Pending approvals {pending.length ? <span className="count-badge">{pending.length}</span> : null}
      </h3>
      {pending.length === 0 ? (
        <div className="muted small">Nothing waits for you.</div>
      ) : (
        <ul className="pending-list">
          {pending.map((e) => (
            <li key={e.id}>
              <button type="button" className="pending-item" onClick={() => nav.openExperiment(e.id)} data-experiment-id={e.id}>
                <span>
                  <strong>{e.component}</strong> <code>{e.version_a?.slice(0, 8)}</code> → <code>{e.version_b?.slice(0, 8)}</code>
                </span>
                <span className="small muted">{e.decision?.reason ?? 'a person decides'}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
