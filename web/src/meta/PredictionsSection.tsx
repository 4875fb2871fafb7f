/**
 * The system's suggested changes: priority, expected gain, confidence, effort; Execute starts the evolution and links to it.
 * "Requests no tool serves" is carried out by drafting a new tool (with a configured model).
 */
import { useMutation } from 'urql';
import {
  EXECUTE_PREDICTION,
  PREDICTIONS_QUERY,
  type ExecutePredictionResult,
  type PredictionsResult,
} from '../api/evolutionDocuments';
import { GENERATE_TOOL, type GenerateToolResult } from '../api/generationDocuments';
import { useExperiments } from '../evolution/useEvolutionData';
import { useModelConfigured } from '../generation/useGeneratedTools';
import { useNavigation, type DiffTarget } from '../layout/navigation';
import { useMetaRefreshedQuery } from '../state/useMetaStream';

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;

export function PredictionsSection() {
  const nav = useNavigation();
  const [{ data, error, fetching }, refetch] = useMetaRefreshedQuery<PredictionsResult>(
    PREDICTIONS_QUERY,
    'predictions_updated',
    'prediction_settled',
    'version_promoted',
    'version_rolled_back',
  );
  const [executeState, execute] = useMutation<ExecutePredictionResult>(EXECUTE_PREDICTION);
  const predictions = data?.predictions ?? [];
  const { experiments } = useExperiments();
  /** The candidate an experiment produced, as a diff against the version it was compared with. */
  const candidateDiff = (experimentId: string | null) => {
    const e = experiments?.find((x) => x.id === experimentId);
    return e?.component && e.version_a && e.version_b && e.version_a !== e.version_b
      ? { component: e.component, a: e.version_a, b: e.version_b }
      : null;
  };
  return (
    <section className="meta-section" aria-labelledby="predictions-heading" data-testid="predictions">
      <h3 id="predictions-heading">
        Predictions{' '}
        {fetching && !data ? (
          <span className="muted small">loading…</span>
        ) : (
          <span className="muted small">· {predictions.length}</span>
        )}
      </h3>
      {error ? <div className="inline-error">{error.graphQLErrors[0]?.message ?? error.message}</div> : null}
      {executeState.error ? (
        <div className="inline-error">{executeState.error.graphQLErrors[0]?.message ?? executeState.error.message}</div>
      ) : null}
      <ul className="prediction-list">
        {predictions.slice(0, 12).map((p) => (
          <li key={p.id} className={`prediction status-${p.status}`} data-prediction-id={p.id}>
            <div className="prediction-top">
              <span className="priority" title="Priority (1–10)">
                P{p.priority}
              </span>
              <span className="prediction-title" title={p.description}>
                {p.title}
              </span>
            </div>
            <div className="prediction-figures small">
              <span title="Expected improvement">gain {signed(p.expected_improvement)}</span>
              <span title="Confidence">conf {Math.round(p.confidence * 100)}%</span>
              <span title="Estimated effort">{p.estimated_effort} h</span>
              <span className="muted">{p.component}</span>
            </div>
            {p.status === 'done' ? (
              <div className="small prediction-outcome">
                predicted {signed(p.expected_improvement)} · actual{' '}
                {p.actual_improvement === null ? '—' : signed(p.actual_improvement)}
                {p.experiment_id ? (
                  <>
                    {' '}
                    ·{' '}
                    <button type="button" className="link-btn" onClick={() => nav.openExperiment(p.experiment_id)}>
                      experiment
                    </button>
                  </>
                ) : null}
                <DiffLink target={candidateDiff(p.experiment_id)} />
              </div>
            ) : p.status === 'executing' && p.experiment_id ? (
              <div className="small">
                running ·{' '}
                <button type="button" className="link-btn" onClick={() => nav.openExperiment(p.experiment_id)}>
                  open experiment
                </button>
                <DiffLink target={candidateDiff(p.experiment_id)} />
              </div>
            ) : (
              <div className="prediction-actions">
                {p.failure ? <div className="small inline-error">last run not carried out: {p.failure}</div> : null}
                {p.kind === 'unserved_requests' ? (
                  <DraftToolAction predictionId={p.id} />
                ) : p.executable ? (
                  <button
                    type="button"
                    className="btn btn-sm"
                    disabled={executeState.fetching}
                    title="Start an evolution of this component for this goal"
                    onClick={() =>
                      void execute({ id: p.id }).then((r) => {
                        if (r.data) nav.openExperiment(r.data.execute_prediction.experiment_id);
                        refetch();
                      })
                    }
                  >
                    Execute
                  </button>
                ) : (
                  <span className="small muted" title="Needs a person: cannot be carried out automatically">
                    advice only
                  </span>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The "requests no tool serves" prediction: a configured model drafts a tool for it; without one, what it would take. */
function DraftToolAction({ predictionId }: { predictionId: string }) {
  const nav = useNavigation();
  const configured = useModelConfigured();
  const [state, generate] = useMutation<GenerateToolResult>(GENERATE_TOOL);
  if (configured === false)
    return (
      <span className="small muted" data-testid="draft-tool-needs-model">
        Drafting a tool for these takes a configured model (Model, below).
      </span>
    );
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        disabled={!configured || state.fetching}
        title="The configured model drafts a tool and a suite; you accept the suite before it can be promoted"
        onClick={() =>
          void generate({ input: { prediction_id: predictionId, by: 'console user' } }).then((r) => {
            if (r.data) nav.openGeneration(r.data.generate_tool.generation_id);
          })
        }
      >
        Draft a tool
      </button>
      {state.error ? <span className="inline-error">{state.error.graphQLErrors[0]?.message ?? state.error.message}</span> : null}
    </>
  );
}

function DiffLink({ target }: { target: DiffTarget | null }) {
  const nav = useNavigation();
  if (!target) return null;
  return (
    <>
      {' '}
      ·{' '}
      <button type="button" className="link-btn" data-testid="prediction-diff" onClick={() => nav.openDiff(target)}>
        diff
      </button>
    </>
  );
}
