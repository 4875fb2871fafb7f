/** Starting an experiment: a component, A (the current version or another), B (a given version or a new proposal from A), goal, repetitions. */
import { useState } from 'react';
import { useMutation } from 'urql';
import { CREATE_EXPERIMENT, type ComponentView, type CreateExperimentResult } from '../api/evolutionDocuments';
import { LabelledField, TextField } from '../components/LabelledField';
import { useComponents } from '../evolution/useEvolutionData';
import { useNavigation } from '../layout/navigation';

const PROPOSE = '';
const CURRENT = '';

type Version = ComponentView['versions'][number];

/** One arm's version: `unset` (the server's choice), then the component's versions but `excluded`. */
function VersionField({
  label,
  name,
  value,
  onChange,
  unset,
  versions,
  excluded,
  labelOf,
  disabled,
}: {
  label: string;
  name: string;
  value: string;
  onChange(version: string): void;
  unset: { value: string; text: string };
  versions: readonly Version[];
  excluded: string | undefined;
  labelOf(version: Version): string;
  disabled: boolean;
}) {
  return (
    <LabelledField label={label}>
      <select
        className="select select-sm"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        name={name}
        disabled={disabled}
      >
        <option value={unset.value}>{unset.text}</option>
        {versions
          .filter((v) => v.version !== excluded)
          .map((v) => (
            <option key={v.version} value={v.version}>
              {labelOf(v)}
            </option>
          ))}
      </select>
    </LabelledField>
  );
}

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
  const label = (v: Version) =>
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
        <LabelledField label="Component">
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
        </LabelledField>
        <VersionField
          label="A (baseline)"
          name="version_a"
          value={versionA}
          onChange={(version) => {
            setVersionA(version);
            if (version === versionB) setVersionB(PROPOSE);
          }}
          unset={{ value: CURRENT, text: chosen ? `${chosen.current_version.slice(0, 8)} (current)` : 'the current version' }}
          versions={versions}
          excluded={chosen?.current_version}
          labelOf={label}
          disabled={!chosen}
        />
        <VersionField
          label="B (candidate)"
          name="version_b"
          value={versionB}
          onChange={setVersionB}
          unset={{ value: PROPOSE, text: 'propose a new candidate from A' }}
          versions={versions}
          excluded={baseline}
          labelOf={label}
          disabled={!chosen}
        />
        {versionA ? (
          <div className="muted small" data-testid="comparison-only">
            A is not the current version: the experiment compares the two and promotes nothing.
          </div>
        ) : null}
        <TextField
          label="Goal (optional)"
          value={goal}
          onChange={setGoal}
          maxLength={500}
          placeholder="e.g. fewer failing cases"
          name="goal"
        />
        <LabelledField label="Repetitions" narrow>
          <input
            className="input input-sm"
            type="number"
            min={1}
            max={20}
            value={repetitions}
            onChange={(e) => setRepetitions(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
            name="repetitions"
          />
        </LabelledField>
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
