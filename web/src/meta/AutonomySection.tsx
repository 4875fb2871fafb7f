/** The meta panel's autonomy choice: one radio per level, with what each level lets the system do. */
import { AUTONOMY_LEVELS, useAutonomyLevel } from './useAutonomyLevel';

export function AutonomySection() {
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
