/** What waits for a person, each a link to its page: experiments (Approve / Reject there) and generated tools (accept the suite, then approve). */
import { useQuery } from 'urql';
import { GENERATED_TOOLS_QUERY, type GeneratedToolsResult } from '../api/generationDocuments';
import { pendingApprovals, useExperiments } from '../evolution/useEvolutionData';
import { STATUS_WORDS, statusOf } from '../generation/generationStatus';
import { useNavigation } from '../layout/navigation';

export function PendingApprovals() {
  const nav = useNavigation();
  const { experiments } = useExperiments();
  const pending = pendingApprovals(experiments);
  // The generated tools section keeps this query current; here it is only read.
  const [{ data }] = useQuery<GeneratedToolsResult>({ query: GENERATED_TOOLS_QUERY });
  const generations = (data?.generated_tools ?? [])
    .map((g) => ({ g, status: statusOf(g) }))
    .filter(({ status }) => status === 'awaiting_suite' || status === 'awaiting_approval');
  const count = pending.length + generations.length;
  return (
    <section className="meta-section" aria-labelledby="pending-heading" data-testid="pending-approvals">
      <h3 id="pending-heading">Pending approvals {count ? <span className="count-badge">{count}</span> : null}</h3>
      {count === 0 ? (
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
          {generations.map(({ g, status }) => (
            <li key={g.id}>
              <button type="button" className="pending-item" onClick={() => nav.openGeneration(g.id)} data-generation-id={g.id}>
                <span>
                  <strong>{g.draft.name}</strong> <span className="muted">generated tool</span>
                </span>
                <span className="small muted">{STATUS_WORDS[status]}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
