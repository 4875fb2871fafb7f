/** The system-wide timeline of changes, newest first, live from the meta stream. */
import { useMemo } from 'react';
import { useNavigation } from '../layout/navigation';
import { useMetaEvents } from '../state/useMetaStream';
import { describeMetaEvent, TIMELINE_TYPES } from './timelineText';

const SHOWN = 150;
const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour12: false });
};

export function EvolutionTimeline({ onShowVersion }: { onShowVersion(component: string, version: string): void }) {
  const { state, error } = useMetaEvents();
  const nav = useNavigation();
  const entries = useMemo(() => {
    const out = [];
    for (let i = state.events.length - 1; i >= 0 && out.length < SHOWN; i--) {
      const e = state.events[i]!;
      if (TIMELINE_TYPES.has(e.type)) out.push(describeMetaEvent(e));
    }
    return out;
  }, [state.events]);
  return (
    <section className="timeline" aria-label="Evolution timeline" data-testid="evolution-timeline">
      <h3 className="timeline-title">Timeline {error ? <span className="inline-error small">{error}</span> : null}</h3>
      {entries.length === 0 ? (
        <div className="muted small pad">{state.loaded ? 'Nothing has changed yet.' : 'Loading…'}</div>
      ) : null}
      <ol className="timeline-list">
        {entries.map((t) => (
          <li key={t.seq} className={`timeline-item tone-${t.tone}`} data-type={t.type}>
            <span className="timeline-time">{time(t.at)}</span>
            <span className="timeline-text">{t.text}</span>
            <span className="timeline-links">
              {t.component && t.version ? (
                <button type="button" className="link-btn" onClick={() => onShowVersion(t.component!, t.version!)}>
                  version
                </button>
              ) : null}
              {t.experimentId ? (
                <button type="button" className="link-btn" onClick={() => nav.openExperiment(t.experimentId)}>
                  experiment
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
