/** The visualisation panel's tabs; the pending-approvals count rides on the Sandbox tab. */
import type { KeyboardEvent } from 'react';
import type { VizTab } from './navigation';
import './layout.css';

const TABS: { id: VizTab; label: string }[] = [
  { id: 'execution', label: 'Execution' },
  { id: 'evolution', label: 'Evolution' },
  { id: 'sandbox', label: 'Sandbox' },
  { id: 'diff', label: 'Diff' },
  { id: 'trends', label: 'Trends' },
];

export function VizTabs({ tab, onChange, pending }: { tab: VizTab; onChange(tab: VizTab): void; pending: number }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.id === tab);
    if (e.key === 'ArrowRight') onChange(TABS[(i + 1) % TABS.length]!.id);
    else if (e.key === 'ArrowLeft') onChange(TABS[(i + TABS.length - 1) % TABS.length]!.id);
    else return;
    e.preventDefault();
  };
  return (
    <div className="viz-tabs" role="tablist" aria-label="Visualisation" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`viz-tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls="viz-tabpanel"
          tabIndex={tab === t.id ? 0 : -1}
          className={`viz-tab${tab === t.id ? ' is-active' : ''}`}
          onClick={() => onChange(t.id)}
          data-testid={`viz-tab-${t.id}`}
        >
          {t.label}
          {t.id === 'sandbox' && pending > 0 ? (
            <span className="count-badge" aria-label={`${pending} awaiting approval`}>
              {pending}
            </span>
          ) : null}
        </button>
      ))}
    </div>
  );
}
