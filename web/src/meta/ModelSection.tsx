/** The meta panel's model settings: endpoint, model and write-only key, saved and tested from the console. */
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  MODEL_SETTINGS_QUERY,
  TEST_MODEL_CONNECTION,
  UPDATE_MODEL_SETTINGS,
  type ModelSettingsResult,
  type TestModelConnectionResult,
  type UpdateModelSettingsResult,
} from '../api/documents';
import { TextField } from '../components/LabelledField';

/** The endpoint as the form edits it. */
interface Endpoint {
  baseUrl: string;
  model: string;
}

/** The endpoint's fields, in the form's order (the key is apart: write-only, never shown). */
const ENDPOINT_FIELDS = [
  { part: 'baseUrl', label: 'Base URL', name: 'base_url', type: 'url', placeholder: 'empty = offline model' },
  { part: 'model', label: 'Model', name: 'model', placeholder: 'e.g. gpt-4o-mini' },
] as const;

export function ModelSection() {
  const [{ data, error }, refetch] = useQuery<ModelSettingsResult>({ query: MODEL_SETTINGS_QUERY });
  const [saveState, save] = useMutation<UpdateModelSettingsResult>(UPDATE_MODEL_SETTINGS);
  const [testState, test] = useMutation<TestModelConnectionResult>(TEST_MODEL_CONNECTION);
  const settings = saveState.data?.update_model_settings ?? data?.model_settings ?? null;
  // What the person typed; until then the form shows the stored settings.
  const [edited, setEdited] = useState<Endpoint | null>(null);
  const endpoint = edited ?? { baseUrl: settings?.base_url ?? '', model: settings?.model ?? '' };
  const { baseUrl, model } = endpoint;
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
        {ENDPOINT_FIELDS.map(({ part, ...field }) => (
          <TextField
            key={part}
            {...field}
            value={endpoint[part]}
            onChange={(value) => setEdited({ ...endpoint, [part]: value })}
          />
        ))}
        <TextField
          label="API key"
          type="password"
          placeholder={settings?.has_api_key ? '•••••• stored (type to replace)' : 'not set'}
          value={apiKey}
          onChange={setApiKey}
          name="api_key"
          autoComplete="new-password"
        />
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
