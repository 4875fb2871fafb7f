/**
 * Right / wrong on an assistant answer. Wrong opens a small form for what was expected (the
 * tool, or none; the key content of the answer, or "should decline"); the server turns it into
 * cases of the taught suites of the components that decided wrongly (api/services/teachingService.ts).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  MARK_ANSWER,
  TEACHABLE_TOOLS_QUERY,
  type MarkAnswerInput,
  type MarkAnswerResult,
  type TeachableToolsResult,
} from '../api/teachingDocuments';
import { taughtCasesLabel } from '../teaching/taughtCaseLabels';

const NO_TOOL = '';
const SERVING_TYPES = new Set(['tool', 'memory']);

interface Props {
  sessionId: string;
  messageId: string;
}

export function AnswerFeedback({ sessionId, messageId }: Props) {
  const [formOpen, setFormOpen] = useState(false);
  const [state, mark] = useMutation<MarkAnswerResult>(MARK_ANSWER);
  const send = (input: MarkAnswerInput) => mark({ session_id: sessionId, message_id: messageId, input });
  const done = state.data?.mark_answer;
  if (done) {
    const taught = taughtCasesLabel(done.cases);
    return (
      <div className="answer-feedback small muted" data-testid="feedback-done">
        {done.feedback.verdict === 'right' ? 'Marked right' : `Taught: ${taught}`}
      </div>
    );
  }
  return (
    <div className="answer-feedback small">
      {formOpen ? null : (
        <>
          <button type="button" className="link-btn" onClick={() => void send({ verdict: 'right' })} disabled={state.fetching}>
            ✓ right
          </button>
          <button type="button" className="link-btn" onClick={() => setFormOpen(true)} data-testid="mark-wrong">
            ✗ wrong
          </button>
        </>
      )}
      {formOpen ? <ExpectationForm busy={state.fetching} onCancel={() => setFormOpen(false)} onSubmit={send} /> : null}
      {state.error ? <div className="inline-error">{state.error.graphQLErrors[0]?.message ?? state.error.message}</div> : null}
    </div>
  );
}

function ExpectationForm(props: { busy: boolean; onCancel(): void; onSubmit(input: MarkAnswerInput): void }) {
  const [{ data }] = useQuery<TeachableToolsResult>({ query: TEACHABLE_TOOLS_QUERY });
  const tools = (data?.components ?? []).filter((c) => SERVING_TYPES.has(c.type)).map((c) => c.id);
  const [tool, setTool] = useState(NO_TOOL);
  const [keyContent, setKeyContent] = useState('');
  const [decline, setDecline] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const key = keyContent.trim();
    props.onSubmit({
      verdict: 'wrong',
      expected_tool: decline || tool === NO_TOOL ? null : tool,
      ...(decline ? { should_decline: true } : key ? { key_content: key } : {}),
    });
  };
  return (
    <form className="expectation-form" onSubmit={submit} aria-label="What was expected" data-testid="expectation-form">
      <label>
        Expected tool{' '}
        <select value={decline ? NO_TOOL : tool} onChange={(e) => setTool(e.target.value)} disabled={decline}>
          <option value={NO_TOOL}>none</option>
          {tools.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Key content{' '}
        <input
          type="text"
          value={keyContent}
          maxLength={500}
          onChange={(e) => setKeyContent(e.target.value)}
          disabled={decline}
          placeholder="e.g. 54"
        />
      </label>
      <label>
        <input type="checkbox" checked={decline} onChange={(e) => setDecline(e.target.checked)} /> should decline
      </label>
      <div className="expectation-actions">
        <button type="submit" className="btn btn-sm btn-primary" disabled={props.busy}>
          Teach
        </button>
        <button type="button" className="link-btn" onClick={props.onCancel}>
          cancel
        </button>
      </div>
    </form>
  );
}
