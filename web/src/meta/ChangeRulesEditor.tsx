/** The change rules that bound what evolution may do by itself: edit, validate (same schema as the API), save. */
import { useMemo, useState } from 'react';
import { useMutation } from 'urql';
import type { ChangeRules } from '../../../domain/evolution';
import {
  CHANGE_RULES_QUERY,
  UPDATE_CHANGE_RULES,
  type ChangeRulesResult,
  type UpdateChangeRulesResult,
} from '../api/evolutionDocuments';
import { useMetaRefreshedQuery } from '../state/useMetaStream';
import { draftOf, RULE_FIELDS, validateDraft, type RulesDraft } from './changeRulesForm';

export function ChangeRulesEditor() {
  const [{ data, error }, refetch] = useMetaRefreshedQuery<ChangeRulesResult>(CHANGE_RULES_QUERY, 'change_rules_updated');
  const [saveState, save] = useMutation<UpdateChangeRulesResult>(UPDATE_CHANGE_RULES);
  const saved: ChangeRules | null = data?.change_rules ?? null;
  // What the person typed; until then the form shows the stored rules.
  const [edited, setDraft] = useState<RulesDraft | null>(null);
  const draft = edited ?? (saved ? draftOf(saved) : null);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const result = useMemo(() => (draft && saved ? validateDraft(draft, saved) : null), [draft, saved]);
  const dirty = result?.ok ? Object.keys(result.patch).length > 0 : Boolean(result);

  const submit = async () => {
    if (!result?.ok || !dirty) return;
    const r = await save({ rules: result.patch });
    if (!r.error && r.data) {
      setDraft(draftOf(r.data.update_change_rules));
      setDone(true);
      setTimeout(() => setDone(false), 2000);
      refetch();
    }
  };

  return (
    <section className="meta-section" aria-labelledby="rules-heading" data-testid="change-rules">
      <h3 id="rules-heading">
        <button type="button" className="section-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'} Change rules
        </button>
        {saved && !open ? (
          <span className="muted small">
            {' '}
            · min gain {saved.min_improvement} · {saved.protected_components.length} protected ·{' '}
            {saved.critical_components.length} critical
          </span>
        ) : null}
      </h3>
      {error ? <div className="inline-error">{error.message}</div> : null}
      {open && draft ? (
        <form
          className="rules-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          {RULE_FIELDS.map((f) => {
            const fieldError = result && !result.ok ? result.errors[f.key] : undefined;
            return (
              <label key={f.key} className={`field${f.kind === 'boolean' ? ' field-check' : ''}`} title={f.hint}>
                {f.kind === 'boolean' ? (
                  <>
                    <input
                      type="checkbox"
                      checked={draft[f.key] === 'true'}
                      onChange={(e) => setDraft({ ...draft, [f.key]: String(e.target.checked) })}
                      name={f.key}
                    />
                    <span>{f.label}</span>
                  </>
                ) : (
                  <>
                    <span>{f.label}</span>
                    <input
                      className={`input input-sm${fieldError ? ' is-invalid' : ''}`}
                      name={f.key}
                      inputMode={f.kind === 'number' ? 'decimal' : undefined}
                      value={draft[f.key]}
                      placeholder={f.kind === 'list' ? 'comma separated' : undefined}
                      aria-invalid={Boolean(fieldError)}
                      onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                    />
                  </>
                )}
                {fieldError ? (
                  <span className="field-error" role="alert">
                    {fieldError}
                  </span>
                ) : (
                  <span className="field-hint">{f.hint}</span>
                )}
              </label>
            );
          })}
          <div className="form-actions">
            <button
              type="submit"
              className="btn btn-sm btn-primary"
              disabled={!result?.ok || !dirty || saveState.fetching}
              data-testid="save-rules"
            >
              {saveState.fetching ? 'Saving…' : done ? 'Saved ✓' : 'Save rules'}
            </button>
            <button type="button" className="btn btn-sm" disabled={!dirty} onClick={() => saved && setDraft(draftOf(saved))}>
              Reset
            </button>
          </div>
          {saveState.error ? (
            <div className="inline-error">{saveState.error.graphQLErrors[0]?.message ?? saveState.error.message}</div>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
