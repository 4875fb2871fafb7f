/** The taught suites: every case people taught from answers, who taught it, when, from which turn, and its split. */
import { TAUGHT_CASES_QUERY, type TaughtCasesResult } from '../api/teachingDocuments';
import { useMetaRefreshedQuery } from '../state/useMetaStream';
import { splitLabel } from '../teaching/taughtCaseLabels';

const MAX_SHOWN = 30;

export function TaughtCasesSection() {
  const [{ data, error }] = useMetaRefreshedQuery<TaughtCasesResult>(TAUGHT_CASES_QUERY, 'answer_marked');
  // Newest first: the lesson just taught is the one a person looks for.
  const cases = [...(data?.taught_cases ?? [])].reverse();
  return (
    <section className="meta-section" aria-labelledby="taught-heading" data-testid="taught-cases">
      <h3 id="taught-heading">
        Taught cases <span className="muted small">· {cases.length}</span>
      </h3>
      {error ? <div className="inline-error">{error.graphQLErrors[0]?.message ?? error.message}</div> : null}
      {cases.length === 0 && data ? <p className="muted small">Mark an answer wrong in the chat to teach a case.</p> : null}
      <ul className="taught-list">
        {cases.slice(0, MAX_SHOWN).map((c) => (
          <li key={c.id} className="taught-case" data-case-id={c.id}>
            <div>
              <span className="taught-request">“{c.request}”</span>{' '}
              <span className={`status-tag split-${c.split}`}>{splitLabel(c.split)}</span>
            </div>
            <div className="small">
              {c.component}: {c.lesson}
            </div>
            <div className="small muted" title={`session ${c.session_id}`}>
              by {c.taught_by} · {new Date(c.created_at).toLocaleString()} · turn {c.turn_id.split(':').pop()}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
