/** The evolution tab's toolbar: how many components and versions, the compare hint, Fit and the timeline toggle. */
import { useReactFlow } from '@xyflow/react';
import type { ComponentView } from '../api/evolutionDocuments';

export function EvolutionToolbar({
  components,
  showTimeline,
  onToggleTimeline,
}: {
  components: readonly ComponentView[] | null;
  showTimeline: boolean;
  onToggleTimeline(): void;
}) {
  const rf = useReactFlow();
  const versionCount = components?.reduce((n, c) => n + c.versions.length, 0) ?? 0;
  return (
    <div className="panel-toolbar viz-toolbar">
      <h2 className="panel-title">Evolution</h2>
      <span className="toolbar-meta" data-testid="evolution-counts">
        {components ? `${components.length} components · ${versionCount} versions` : 'loading…'}
      </span>
      <span className="toolbar-spacer" />
      <span className="toolbar-meta hide-narrow">Shift-click two versions to compare</span>
      <button type="button" className="btn btn-sm" onClick={() => void rf.fitView({ padding: 0.12, duration: 300, maxZoom: 1 })}>
        Fit
      </button>
      <button
        type="button"
        className={`btn btn-sm${showTimeline ? ' is-on' : ''}`}
        aria-pressed={showTimeline}
        onClick={onToggleTimeline}
      >
        Timeline
      </button>
    </div>
  );
}
