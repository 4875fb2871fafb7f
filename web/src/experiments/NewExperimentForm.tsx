/** Starting an experiment: a component, A (the current version or another), B (a given version or a new proposal from A), goal, repetitions. */
import { useState } from 'react';
import { useMutation } from 'urql';
import { CREATE_EXPERIMENT, type CreateExperimentResult } from '../api/evolutionDocuments';
import { useComponents } from '../evolution/useEvolutionData';
import { useNavigation } from '../layout/navigation';

const PROPOSE = '';
const CURRENT = '';

export function NewExperimentForm() {
  const nav = useNavigation();
  const { components } = useComponents();
  const [component, setComponent] = useState('');
  const [versionA, setVersionA] = useState(CURRENT);
  const [versionB, setVersionB] = useState(PROPOSE);
  const [goal, setGoal] = useState('');
  const [repetitions, setRepetitions] = useState(2);
  const [state, create] = useMutation<CreateExperimentResult>(CREATE_EXPERIMENT);
  const chosen = components?.find((c) => c.name === component) ?? null;
  const baseline = versionA || chosen?.current_version;
  const versions = [...(chosen?.versions ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const label = (v: { version: string; created_by: { kind: string } }) =>
    `${v.version.slice(0, 8)} (${v.version === chosen?.current_version ? 'current' : v.created_by.kind})`;
  const submit = async () => {
    if (!chosen) return;
    const input: Record<string, unknown> = { component: chosen.name, repetitions };
    if (versionA) input.version_a = versionA;
    if (versionB) input.version_b = versionB;
    if (goal.trim()) input.goal = goal.trim();
    const result = await create({ input });
    if (result.data) nav.openExperiment(result.data.create_experiment.experiment_id);
  };
  return (
    <section className="experiment-section">
      <h4>New experiment</h4>
      <form
        className="new-experiment"
        data-testid="new-experiment"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Component</span>
          <select
            className="select select-sm"
            value={component}
            onChange={(e) => {
              setComponent(e.target.value);
              setVersionA(CURRENT);
              setVersionB(PROPOSE);
            }}
            name="component"
            required
          >
            <option value="">Choose…</option>
            {(components ?? []).map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.versions.length} version{c.versions.length === 1 ? '' : 's'})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>A (baseline)</span>
          <select
            className="select select-sm"
            value={versionA}
            onChange={(e) => {
              setVersionA(e.target.value);
              if (e.target.value === versionB) setVersionB(PROPOSE);
            }}
            name="version_a"
            disabled={!chosen}
          >
            <option value={CURRENT}>{chosen ? `${chosen.current_version.slice(0, 8)} (current)` : 'the current version'}</option>
            {versions
              .filter((v) => v.version !== chosen?.current_version)
              .map((v) => (
                <option key={v.version} value={v.version}>
                  {label(v)}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>B (candidate)</span>
          <select
            className="select select-sm"
            value={versionB}
            onChange={(e) => setVersionB(e.target.value)}
            name="version_b"
            disabled={!chosen}
          >
            <option value={PROPOSE}>propose a new candidate from A</option>
            {versions
              .filter((v) => v.version !== baseline)
              .map((v) => (
                <option key={v.version} value={v.version}>
                  {label(v)}
                </option>
              ))}
          </select>
        </label>
        {versionA ? (
          <div className="muted small" data-testid="comparison-only">
            A is not the current version: the experiment compares the two and promotes nothing.
          </div>
        ) : null}
        <label className="field">
          <span>Goal (optional)</span>
          <input
            className="input input-sm"
            value={goal}
            onChange={(e) => setGoal(e.target.value)}
            maxLength={500}
            placeholder="e.g. fewer failing cases"
            name="goal"
          />
        </label>
        <label className="field field-narrow">
          <span>Repetitions</span>
          <input
            className="input input-sm"
            type="number"
            min={1}
            max={20}
            value={repetitions}
            onChange={(e) => setRepetitions(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
            name="repetitions"
          />
        </label>
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-sm btn-primary"
            disabled={!chosen || state.fetching}
            data-testid="start-experiment"
          >
            {state.fetching ? 'Starting…' : 'Start experiment'}
          </button>
        </div>
        {state.error ? <div className="inline-error">{state.error.graphQLErrors[0]?.message ?? state.error.message}</div> : null}
      </form>
    </section>
  );
}
