import { useAutonomyLevel } from './useAutonomyLevel';
import { useSystemMetrics } from './useSystemMetrics';
import './meta.css';

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
