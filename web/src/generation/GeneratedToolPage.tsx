/**
 * One generated tool: what prompted it, the drafted code beside its proposed suite (editable
 * until a person accepts it), the sandbox runs, and the person's approve or reject once the
 * accepted suite has passed. A generated suite is not independent evidence, so nothing can be
 * promoted before a person accepts it.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { ACCEPT_GENERATED_SUITE, APPROVE_GENERATED_TOOL, REJECT_GENERATED_TOOL } from '../api/generationDocuments';
import type { GeneratedTestRun, GeneratedToolView } from '../../../domain/generation';
import { DecisionActions } from '../components/DecisionActions';
import { ShowInGraphButton } from '../evolution/ShowInGraphButton';
import { useNavigation } from '../layout/navigation';
import { ExperimentsPageHead } from '../experiments/ExperimentsPageHead';
import { runInWords, STATUS_CLASS, STATUS_WORDS, type GenerationStatus } from './generationStatus';
import { isEdited, readSuiteEdit, suiteText } from './suiteEdit';
import { useGeneratedTool } from './useGeneratedTools';
import '../experiments/experiments.css';
import './generation.css';

const BY = 'console user';

const NEXT_STEP: Partial<Record<GenerationStatus, string>> = {
  drafting: 'The model is drafting the tool and its suite; the draft is then compiled and run in the sandbox.',
  awaiting_suite:
    'A generated suite is not independent evidence: read it, edit it if need be, and accept it. Nothing can be promoted before.',
  testing: 'Running the accepted suite against the draft in the sandbox…',
  awaiting_approval: 'The draft passes every accepted case. Approve to make it a tool (its first version), or reject it.',
};

export function GeneratedToolPage({ id }: { id: string }) {
  const nav = useNavigation();
  const { tool, status, error, answered } = useGeneratedTool(id);
  if (!tool || !status)
    return error ? (
      <div className="pad inline-error">
        Generated tool {id}: {error}
      </div>
    ) : (
      <div className="pad muted">
        <span className="spinner" /> Loading generated tool…
      </div>
    );
  const { draft } = tool;
  return (
    <div className="generated-page" data-testid="generated-tool-page" data-status={status} data-generation-id={id}>
      <ExperimentsPageHead
        title={draft.name ?? 'New tool'}
        status={{ className: STATUS_CLASS[status], words: STATUS_WORDS[status], testId: 'generation-status' }}
        onBack={() => nav.openGeneration(null)}
      >
        <div className="muted small">
          “{draft.request}” · asked by{' '}
          {draft.prompted_by.kind === 'prediction' ? `the prediction ${draft.prompted_by.detail}` : draft.prompted_by.detail}
          {draft.model ? <> · drafted by {draft.model}</> : null} ·{' '}
          {new Date(draft.created_at).toLocaleString([], { hour12: false })}
        </div>
        <p className="small" data-testid="generation-next">
          {tool.decision ? null : NEXT_STEP[status]}
        </p>
        {tool.decision ? (
          <div className={`decision-box outcome-${tool.decision.outcome}`} data-testid="generation-decision">
            <strong>{tool.decision.outcome}</strong>
            <span>
              by {tool.decision.decided_by === 'system' ? 'the system' : tool.decision.decided_by}: {tool.decision.reason}
            </span>
            {tool.decision.outcome === 'promoted' && draft.name && draft.version ? (
              <ShowInGraphButton version={{ component: draft.name, version: draft.version }} />
            ) : null}
          </div>
        ) : null}
      </ExperimentsPageHead>
      {draft.code && draft.proposed_suite ? (
        <>
          <div className="generated-grid">
            <section className="experiment-section" aria-label="Drafted code">
              <h4>Drafted code {draft.version ? <code className="muted small">{draft.version.slice(0, 8)}</code> : null}</h4>
              <pre className="generated-code" data-testid="generated-code">
                <code>{draft.code}</code>
              </pre>
            </section>
            <SuiteSection key={draft.version} tool={tool} status={status} onAnswered={answered} />
          </div>
          <RunSection title="Sandbox run on the proposed suite" run={draft.proposed_run} testId="proposed-run" />
          {tool.acceptance ? (
            <RunSection
              title={`Sandbox run on the accepted suite (accepted by ${tool.acceptance.accepted_by}${tool.acceptance.edited ? ', edited' : ''})`}
              run={tool.acceptance.run}
              testId="accepted-run"
            />
          ) : null}
          <DecisionSection id={id} status={status} onAnswered={answered} />
        </>
      ) : null}
    </div>
  );
}

/** The proposed suite as JSON: editable and acceptable while it awaits a person, then the suite as accepted. */
function SuiteSection({
  tool,
  status,
  onAnswered,
}: {
  tool: GeneratedToolView;
  status: GenerationStatus;
  onAnswered(at: GenerationStatus): void;
}) {
  const proposed = tool.draft.proposed_suite ?? [];
  const [text, setText] = useState(() => suiteText(proposed));
  const [state, accept] = useMutation(ACCEPT_GENERATED_SUITE);
  const open = status === 'awaiting_suite';
  const edit = readSuiteEdit(text);
  const edited = 'cases' in edit && isEdited(edit.cases, proposed);
  const submit = async () => {
    if (!('cases' in edit)) return;
    const result = await accept({ id: tool.id, input: { by: BY, ...(edited ? { cases: edit.cases } : {}) } });
    if (!result.error) onAnswered('awaiting_suite');
  };
  return (
    <section className="experiment-section" aria-label="Suite">
      <h4>
        {tool.acceptance ? 'Accepted suite' : 'Proposed suite'}{' '}
        <span className="muted small">· JSON cases; held-out ones ("holdout": true) are kept for later verdicts</span>
      </h4>
      <textarea
        className={`input generated-suite${'error' in edit ? ' is-invalid' : ''}`}
        value={tool.acceptance ? suiteText(tool.acceptance.cases) : text}
        onChange={(e) => setText(e.target.value)}
        readOnly={!open}
        spellCheck={false}
        aria-label="Suite cases (JSON)"
        data-testid="suite-editor"
      />
      {open && 'error' in edit ? (
        <div className="field-error" data-testid="suite-error">
          {edit.error}
        </div>
      ) : null}
      {open ? (
        <div className="decision-actions">
          <button
            type="button"
            className="btn btn-sm btn-primary"
            disabled={!('cases' in edit) || state.fetching}
            onClick={() => void submit()}
            data-testid="accept-suite"
          >
            {state.fetching ? 'Accepting…' : edited ? 'Accept edited suite' : 'Accept suite'}
          </button>
          <button
            type="button"
            className="btn btn-sm"
            disabled={text === suiteText(proposed)}
            onClick={() => setText(suiteText(proposed))}
          >
            Undo edits
          </button>
        </div>
      ) : null}
      {state.error ? <div className="inline-error">{state.error.graphQLErrors[0]?.message ?? state.error.message}</div> : null}
    </section>
  );
}

function RunSection({ title, run, testId }: { title: string; run: GeneratedTestRun | null; testId: string }) {
  return (
    <section className="experiment-section" aria-label={title} data-testid={testId}>
      <h4>
        {title} <span className="muted small">· {runInWords(run)}</span>
      </h4>
      {run ? (
        <table className="case-table">
          <thead>
            <tr>
              <th>case</th>
              <th>result</th>
              <th>score</th>
              <th>why it failed</th>
            </tr>
          </thead>
          <tbody>
            {run.cases.map((c) => (
              <tr key={c.case_id}>
                <td>
                  {c.case_id}
                  {c.holdout ? (
                    <span className="holdout" title="held out">
                      H
                    </span>
                  ) : null}
                </td>
                <td className={c.passed ? 'pass' : 'fail'}>{c.passed ? '✓' : '✕'}</td>
                <td className="num">{c.mean_score.toFixed(2)}</td>
                <td className="muted">{c.failure ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** Approve or reject, open only once the accepted suite has passed and the autonomy level leaves it to a person. */
function DecisionSection({
  id,
  status,
  onAnswered,
}: {
  id: string;
  status: GenerationStatus;
  onAnswered(at: GenerationStatus): void;
}) {
  const [approveState, approve] = useMutation(APPROVE_GENERATED_TOOL);
  const [rejectState, reject] = useMutation(REJECT_GENERATED_TOOL);
  const open = status === 'awaiting_approval';
  const answer = async (approved: boolean, reason: string | null) => {
    const result = await (approved ? approve : reject)({ id, input: { by: BY, ...(reason ? { reason } : {}) } });
    if (!result.error) onAnswered('awaiting_approval');
  };
  const error = approveState.error ?? rejectState.error;
  return (
    <section className="experiment-section" aria-label="Decision">
      <h4>Decision</h4>
      <DecisionActions
        enabled={open}
        sending={approveState.fetching ? 'approve' : rejectState.fetching ? 'reject' : null}
        onAnswer={(approved, reason) => void answer(approved, reason)}
        testIds={{ approve: 'approve-generated', reject: 'reject-generated' }}
      />
      <div className="small muted">
        {open
          ? 'Your decision: below full autonomy a generated tool waits for a person.'
          : status === 'awaiting_suite'
            ? 'Accept the suite first; then the draft is tested on it.'
            : 'Not yours to decide now.'}
      </div>
      {error ? <div className="inline-error">{error.graphQLErrors[0]?.message ?? error.message}</div> : null}
    </section>
  );
}
