import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { AutonomyLevel } from '../../../domain/enums';
import type { RunMetrics, SystemMetrics } from '../../../domain/meta';
import {
  AUTONOMY_LEVEL_QUERY,
  MODEL_SETTINGS_QUERY,
  SET_AUTONOMY_LEVEL,
  TEST_MODEL_CONNECTION,
  UPDATE_MODEL_SETTINGS,
  type AutonomyLevelResult,
  type ModelSettingsResult,
  type SetAutonomyLevelResult,
  type TestModelConnectionResult,
  type UpdateModelSettingsResult,
} from '../api/documents';
import { GeneratedToolsSection } from '../generation/GeneratedToolsSection';
import { formatDuration } from '../graph/nodeVisuals';
import { ChangeRulesEditor } from './ChangeRulesEditor';
import { PendingApprovals } from './PendingApprovals';
import { PredictionsSection } from './PredictionsSection';
import { ScheduleSection } from './ScheduleSection';
import { Sparkline } from './Sparkline';
import { TaughtCasesSection } from './TaughtCasesSection';
import { useSystemMetrics } from './useSystemMetrics';
import './meta.css';

export const AUTONOMY_LEVELS: { level: AutonomyLevel; name: string; hint: string }[] = [
  { level: 'manual', name: 'Manual', hint: 'The system only predicts; you start every experiment and approve every change.' },
  { level: 'assisted', name: 'Assisted', hint: 'The system proposes predictions and experiments; you decide.' },
  { level: 'semi_auto', name: 'Semi-auto', hint: 'Promotes winning changes itself; critical and protected ones wait for you.' },
  { level: 'full', name: 'Full', hint: 'Promotes winning changes itself (protected ones still wait).' },
];

export function MetaPanel() {
  return (
    <div className="meta">
      <div className="panel-toolbar meta-toolbar">
        <h2 className="panel-title">Meta control</h2>
      </div>
      <div className="meta-scroll">
        <AutonomySection />
        <PendingApprovals />
        <PredictionsSection />
        <TaughtCasesSection />
        <GeneratedToolsSection />
        <ChangeRulesEditor />
        <ScheduleSection />
        <MetricsSection />
        <ModelSection />
      </div>
    </div>
  );
}

export function useAutonomyLevel() {
  const [{ data, error }] = useQuery<AutonomyLevelResult>({ query: AUTONOMY_LEVEL_QUERY });
  const [setState, setLevel] = useMutation<SetAutonomyLevelResult>(SET_AUTONOMY_LEVEL);
  const level = setState.data?.set_autonomy_level ?? data?.autonomy_level ?? null;
  return {
    level,
    error: setState.error?.message ?? error?.message ?? null,
    saving: setState.fetching,
    set: (l: AutonomyLevel) => setLevel({ level: l }),
  };
}

function AutonomySection() {
  const { level, error, saving, set } = useAutonomyLevel();
  return (
    <section className="meta-section" aria-labelledby="autonomy-heading">
      <h3 id="autonomy-heading">Autonomy {saving ? <span className="muted small">saving…</span> : null}</h3>
      <div className="autonomy-options" role="radiogroup" aria-labelledby="autonomy-heading" data-testid="autonomy">
        {AUTONOMY_LEVELS.map((o) => (
          <label key={o.level} className={`autonomy-option${level === o.level ? ' is-on' : ''}`} title={o.hint}>
            <input
              type="radio"
              name="autonomy"
              value={o.level}
              checked={level === o.level}
              onChange={() => void set(o.level)}
              disabled={saving}
            />
            <span className="autonomy-name">{o.name}</span>
          </label>
        ))}
      </div>
      <ul className="autonomy-hints" data-testid="autonomy-hints">
        {AUTONOMY_LEVELS.map((o) => (
          <li key={o.level} className={level === o.level ? 'is-on' : undefined}>
            <strong>{o.name}</strong>: {o.hint}
          </li>
        ))}
      </ul>
      {error ? <div className="inline-error">{error}</div> : null}
    </section>
  );
}

const pct = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits).replace(/\.0+$/, '') : '—');

const FIGURES: { key: keyof RunMetrics; label: string; format(v: number): string; color: string }[] = [
  { key: 'runs_in_progress', label: 'Runs in progress', format: (v) => String(v), color: '#7c9cff' },
  { key: 'turns_per_minute', label: 'Turns / min', format: (v) => num(v), color: '#4fd6a4' },
  { key: 'avg_turn_ms', label: 'Avg turn', format: (v) => formatDuration(v), color: '#5cc9e6' },
  { key: 'p95_turn_ms', label: 'p95 turn', format: (v) => formatDuration(v), color: '#b892ff' },
  { key: 'error_rate', label: 'Error rate', format: pct, color: '#ff6b6b' },
  { key: 'events_per_second', label: 'Events / s', format: (v) => num(v), color: '#f5b450' },
];

/** The spec's SystemMetrics: the evolving system (definitions in domain/meta.ts and docs/api.md). */
const EVOLUTION_FIGURES: { key: keyof SystemMetrics; label: string; format(v: number): string; hint: string }[] = [
  { key: 'total_components', label: 'Components', format: String, hint: 'components registered' },
  { key: 'active_versions', label: 'Active versions', format: String, hint: 'current versions and candidates in an experiment' },
  { key: 'deprecated_versions', label: 'Deprecated', format: String, hint: 'superseded or rejected versions' },
  {
    key: 'avg_improvement_rate',
    label: 'Avg improvement',
    format: (v) => num(v, 3),
    hint: 'mean held-out score gain of promoted changes',
  },
  { key: 'system_stability', label: 'Stability', format: pct, hint: 'share of the last 20 promotions not rolled back' },
  {
    key: 'total_auto_changes',
    label: 'Auto changes',
    format: String,
    hint: 'promotions the system decided plus automatic rollbacks',
  },
  {
    key: 'change_success_rate',
    label: 'Change success',
    format: pct,
    hint: 'decided experiments whose candidate was promoted and kept',
  },
];

function MetricsSection() {
  const { current, history, error } = useSystemMetrics();
  const runs = current?.runs ?? null;
  return (
    <section className="meta-section" aria-labelledby="metrics-heading">
      <h3 id="metrics-heading">System {runs ? <span className="muted small">· {runs.total_turns} turns total</span> : null}</h3>
      {error ? <div className="inline-error">{error}</div> : null}
      <dl className="kv" data-testid="evolution-metrics">
        {EVOLUTION_FIGURES.map((f) => (
          <div key={f.key} title={f.hint}>
            <dt>{f.label}</dt>
            <dd>{current ? f.format(current[f.key] as number) : '—'}</dd>
          </div>
        ))}
      </dl>
      <div className="metric-grid" data-testid="metrics">
        {FIGURES.map((f) => (
          <div className="metric" key={f.key}>
            <div className="metric-top">
              <span className="metric-label">{f.label}</span>
              <span className="metric-value">
                {runs && !(f.key.endsWith('turn_ms') && runs.total_turns === 0) ? f.format(runs[f.key] as number) : '—'}
              </span>
            </div>
            <Sparkline values={history.map((h) => h.runs[f.key] as number)} color={f.color} label={f.label} />
          </div>
        ))}
      </div>
    </section>
  );
}

function ModelSection() {
  const [{ data, error }, refetch] = useQuery<ModelSettingsResult>({ query: MODEL_SETTINGS_QUERY });
  const [saveState, save] = useMutation<UpdateModelSettingsResult>(UPDATE_MODEL_SETTINGS);
  const [testState, test] = useMutation<TestModelConnectionResult>(TEST_MODEL_CONNECTION);
  const settings = saveState.data?.update_model_settings ?? data?.model_settings ?? null;
  // What the person typed; until then the form shows the stored settings.
  const [edited, setEdited] = useState<{ baseUrl: string; model: string } | null>(null);
  const { baseUrl, model } = edited ?? { baseUrl: settings?.base_url ?? '', model: settings?.model ?? '' };
  const [apiKey, setApiKey] = useState('');
  const [saved, setSaved] = useState(false);

  const submit = async (input: Record<string, string | boolean | null>) => {
    const result = await save({ input });
    if (!result.error) {
      setApiKey('');
      setEdited(null);
      setSaved(true);
      setTimeout(() => setSaved(false), 2000);
      refetch({ requestPolicy: 'network-only' });
    }
  };
  // The key is write-only: sent when typed, never read back or shown.
  const saveForm = () =>
    submit({ base_url: baseUrl.trim() || null, model: model.trim() || null, ...(apiKey ? { api_key: apiKey } : {}) });
  const test_ = testState.data?.test_model_connection;
  // A stored key belongs to the base URL it was given for: the server drops it when the URL changes without a new key.
  const keyWillBeCleared = Boolean(settings?.has_api_key) && !apiKey && baseUrl.trim() !== (settings?.base_url ?? '');

  return (
    <section className="meta-section" aria-labelledby="model-heading">
      <h3 id="model-heading">Model</h3>
      {error ? <div className="inline-error">{error.message}</div> : null}
      <div className="model-current">
        {settings?.offline ? (
          <span className="model-chip is-offline">offline model</span>
        ) : (
          <span className="model-chip">{settings?.model ?? '…'}</span>
        )}
        {settings && !settings.offline ? (
          <span className="muted small">{settings.has_api_key ? 'key set' : 'no key'}</span>
        ) : null}
      </div>
      <form
        className="model-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveForm();
        }}
        autoComplete="off"
      >
        <label className="field">
          <span>Base URL</span>
          <input
            className="input input-sm"
            type="url"
            placeholder="empty = offline model"
            value={baseUrl}
            onChange={(e) => setEdited({ model, baseUrl: e.target.value })}
            name="base_url"
          />
        </label>
        <label className="field">
          <span>Model</span>
          <input
            className="input input-sm"
            placeholder="e.g. gpt-4o-mini"
            value={model}
            onChange={(e) => setEdited({ baseUrl, model: e.target.value })}
            name="model"
          />
        </label>
        <label className="field">
          <span>API key</span>
          <input
            className="input input-sm"
            type="password"
            placeholder={settings?.has_api_key ? '•••••• stored (type to replace)' : 'not set'}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            name="api_key"
            autoComplete="new-password"
          />
        </label>
        {keyWillBeCleared ? (
          <div className="muted small" data-testid="key-will-clear">
            The stored key belongs to the current base URL: saving a new URL without a key clears it.
          </div>
        ) : null}
        {saveState.data?.update_model_settings.api_key_cleared ? (
          <div className="inline-notice" role="status" data-testid="key-cleared">
            The stored API key was cleared; enter the key for this endpoint if it needs one.
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-sm btn-primary" disabled={saveState.fetching}>
            {saveState.fetching ? 'Saving…' : saved ? 'Saved ✓' : 'Save'}
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => void test({})}
            disabled={testState.fetching}
            data-testid="test-connection"
          >
            {testState.fetching ? 'Testing…' : 'Test connection'}
          </button>
          {settings?.has_api_key ? (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => void submit({ clear_api_key: true })}
              disabled={saveState.fetching}
              data-testid="forget-key"
            >
              Forget key
            </button>
          ) : null}
        </div>
        {saveState.error ? (
          <div className="inline-error">{saveState.error.graphQLErrors[0]?.message ?? saveState.error.message}</div>
        ) : null}
        {testState.error ? <div className="inline-error">{testState.error.message}</div> : null}
        {test_ ? (
          <div className={`test-result ${test_.ok ? 'is-ok' : 'is-bad'}`} role="status" data-testid="test-result">
            <strong>{test_.ok ? 'Connected' : 'Failed'}</strong> · {test_.model} · {Math.round(test_.latency_ms)} ms
            <div className="small">{test_.message}</div>
          </div>
        ) : null}
      </form>
    </section>
  );
}

/** What the collapsed meta panel still shows. */
export function MetaRail() {
  const { level } = useAutonomyLevel();
  const { current } = useSystemMetrics();
  return (
    <div className="meta-rail">
      <div className="rail-item" title={`Autonomy: ${level ?? '…'}`}>
        {(level ?? '…').slice(0, 4)}
      </div>
      <div className="rail-item" title="Runs in progress">
        {current?.runs.runs_in_progress ?? '—'}
        <span className="small">runs</span>
      </div>
    </div>
  );
}
