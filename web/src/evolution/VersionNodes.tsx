/** The evolution graph's node kinds, memoised; `lineageNodeTypes` at module scope so React Flow never remounts them. */
import { memo } from 'react';
import { Handle, Position, type NodeProps, type NodeTypes } from '@xyflow/react';
import { formatDuration } from '../graph/nodeVisuals';
import { OUTCOME_NAMES, type ComponentFrameFlowNode, type VersionFlowNode } from './lineageModel';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export const VersionNode = memo(({ data, selected }: NodeProps<VersionFlowNode>) => {
  const classes = ['version-node', `outcome-${data.outcome}`, data.isCurrent ? 'is-current' : '', selected ? 'is-selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      data-version={data.version}
      data-component={data.component}
      data-outcome={data.outcome}
      data-current={data.isCurrent ? 'true' : 'false'}
      title={`${data.component}@${data.version}\ncreated by ${data.createdBy}\n${OUTCOME_NAMES[data.outcome]}${data.isCurrent ? ' · current' : ''}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="version-node-top">
        <code className="version-id">{data.version.slice(0, 8)}</code>
        {data.isCurrent ? <span className="version-current">current</span> : null}
        <span className={`outcome-pill outcome-${data.outcome}`}>{OUTCOME_NAMES[data.outcome]}</span>
      </div>
      <div className="version-node-by">{data.createdBy}</div>
      <div className="version-node-figures">
        <span title="Test pass rate">✓ {pct(data.passRate)}</span>
        <span title="Mean test score">score {data.meanScore === null ? '—' : data.meanScore.toFixed(2)}</span>
        <span title="Median case latency">{formatDuration(data.latencyP50)}</span>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

export const ComponentFrameNode = memo(({ data }: NodeProps<ComponentFrameFlowNode>) => (
  <div className="component-frame" data-component-frame={data.component}>
    <div className="component-frame-header">
      <span className="turn-index">{data.component}</span>
      <span className="turn-phase">{data.type}</span>
      <span className="turn-meta">
        {data.versions} version{data.versions === 1 ? '' : 's'} · current <code>{data.current.slice(0, 8)}</code>
      </span>
    </div>
  </div>
));

export const lineageNodeTypes: NodeTypes = { version: VersionNode, componentFrame: ComponentFrameNode };
