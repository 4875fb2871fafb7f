import { memo } from 'react';
import { ToggleButton, VizToolbar } from '../components/VizToolbar';
import type { FlowModel, TurnFrameFlowNode, TurnGroupFlowNode } from './flowModel';

interface Props {
  model: FlowModel;
  nodeCount: number;
  runningTurns: number;
  follow: boolean;
  autoCollapsing: boolean;
  onZoomToTurn(turnId: string): void;
  onFit(): void;
  onToggleFollow(): void;
  onToggleCollapseAll(): void;
}

/** Counts, "zoom to turn", fit, follow and collapse for the execution graph. */
export const GraphToolbar = memo(function GraphToolbar({
  model,
  nodeCount,
  runningTurns,
  follow,
  autoCollapsing,
  onZoomToTurn,
  onFit,
  onToggleFollow,
  onToggleCollapseAll,
}: Props) {
  const turnNodes = model.nodes.filter(
    (n): n is TurnFrameFlowNode | TurnGroupFlowNode => n.type === 'turnFrame' || n.type === 'turnGroup',
  );
  const turnCount = turnNodes.filter((n) => n.data.kind === 'turn').length;
  return (
    <VizToolbar
      title="Execution"
      figures={
        <>
          {nodeCount} nodes · {turnCount} turns
          {runningTurns > 0 ? <span className="live-dot"> · {runningTurns} running</span> : null}
        </>
      }
      figuresTestId="graph-counts"
    >
      <select
        className="select select-sm"
        aria-label="Zoom to a turn"
        value=""
        onChange={(e) => e.target.value && onZoomToTurn(e.target.value)}
        disabled={turnNodes.length === 0}
      >
        <option value="">Zoom to turn…</option>
        {turnNodes.map((n) => (
          <option key={n.data.turnId} value={n.data.turnId}>
            {n.data.kind === 'replay' ? `Replay (after turn ${n.data.index})` : `Turn ${n.data.index}`}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-sm" onClick={onFit} title="Fit the whole graph">
        Fit
      </button>
      <ToggleButton on={follow} onToggle={onToggleFollow} title="Keep the newest turn in view">
        Follow
      </ToggleButton>
      <button
        type="button"
        className="btn btn-sm"
        onClick={onToggleCollapseAll}
        title={autoCollapsing ? 'Expand every turn' : 'Collapse finished turns into one node each'}
      >
        {autoCollapsing ? 'Expand all' : 'Collapse done'}
      </button>
    </VizToolbar>
  );
});
