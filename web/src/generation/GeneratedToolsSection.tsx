/** The meta panel's generated tools: a person's "make a tool that …", and each generation with where it is. */
import { useState } from 'react';
import { useMutation } from 'urql';
import { GENERATE_TOOL, type GenerateToolResult } from '../api/generationDocuments';
import { useNavigation } from '../layout/navigation';
import { STATUS_CLASS, STATUS_WORDS, statusOf } from './generationStatus';
import { useGeneratedTools, useModelConfigured } from './useGeneratedTools';
import '../experiments/experiments.css';
import './generation.css';

/** The API's bounds for a request (api/services/generationService.ts GenerateInput). */
const REQUEST_MIN = 8;
const REQUEST_MAX = 500;

export function GeneratedToolsSection() {
  const nav = useNavigation();
  const { list, error } = useGeneratedTools();
  return (
    <section className="meta-section" aria-labelledby="generated-heading" data-testid="generated-tools">
      <h3 id="generated-heading">Generated tools {list ? <span className="muted small">· {list.length}</span> : null}</h3>
      <GenerateToolForm />
      {error ? <div className="inline-error">{error}</div> : null}
      <ul className="generated-list">
        {(list ?? []).slice(0, 12).map((g) => {
          const status = statusOf(g);
          return (
            <li key={g.id}>
              <button
                type="button"
                className={`experiment-item generated-item ${STATUS_CLASS[status]}`}
                data-status={status}
                onClick={() => nav.openGeneration(g.id)}
                data-generation-id={g.id}
                title={g.draft.request}
              >
                <strong>{g.draft.name ?? g.draft.request}</strong>
                <span className={`status-pill ${STATUS_CLASS[status]}`}>{STATUS_WORDS[status]}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function GenerateToolForm() {
  const nav = useNavigation();
  const configured = useModelConfigured();
  const [request, setRequest] = useState('');
  const [state, generate] = useMutation<GenerateToolResult>(GENERATE_TOOL);
  const text = request.trim();
  const valid = text.length >= REQUEST_MIN && text.length <= REQUEST_MAX;
  const submit = async () => {
    const result = await generate({ input: { request: text, by: 'console user' } });
    if (result.data) {
      setRequest('');
      nav.openGeneration(result.data.generate_tool.generation_id);
    }
  };
  return (
    <form
      className="generate-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        className="input input-sm"
        rows={2}
        placeholder="make a tool that …"
        value={request}
        onChange={(e) => setRequest(e.target.value)}
        maxLength={REQUEST_MAX}
        aria-label="What the new tool should do"
        name="tool_request"
        disabled={configured === false}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-sm btn-primary" disabled={!configured || !valid || state.fetching}>
          {state.fetching ? 'Starting…' : 'Draft tool'}
        </button>
        <span className="small muted">
          {configured === false
            ? 'A model drafts the tool: configure one under Model below.'
            : 'The model drafts the tool and a suite; you accept the suite before it can be promoted.'}
        </span>
      </div>
      {state.error ? <div className="inline-error">{state.error.graphQLErrors[0]?.message ?? state.error.message}</div> : null}
    </form>
  );
}
