/** The evolution tab's toolbar: how many components and versions, the compare hint, Fit and the timeline toggle. */
import { useReactFlow } from '@xyflow/react';
import type { ComponentView } from '../api/evolutionDocuments';
import { ToggleButton, VizToolbar } from '../components/VizToolbar';

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
    <VizToolbar
      title="Evolution"
      figures={components ? `${components.length} components · ${versionCount} versions` : 'loading…'}
      figuresTestId="evolution-counts"
    >
      <span className="toolbar-meta hide-narrow">Shift-click two versions to compare</span>
      <button type="button" className="btn btn-sm" onClick={() => void rf.fitView({ padding: 0.12, duration: 300, maxZoom: 1 })}>
        Fit
      </button>
      <ToggleButton on={showTimeline} onToggle={onToggleTimeline}>
        Timeline
      </ToggleButton>
    </VizToolbar>
  );
}
