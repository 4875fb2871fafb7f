/**
 * One memoised component per node type, plus the turn frame (an expanded
 * turn's background) and the turn group (a collapsed turn). `nodeTypes` is
 * built once at module scope so React Flow never remounts nodes.
 */
import { memo, useContext, type ReactNode } from 'react';
import { Handle, Position, type NodeProps, type NodeTypes } from '@xyflow/react';
import type { NodeType } from '../../../domain/enums';
import { nodeNameId, type ExecFlowNode, type TurnFrameFlowNode, type TurnGroupFlowNode } from './flowModel';
import { GraphActionsContext } from './GraphActions';
import { CollapseIcon, ExpandIcon } from '../components/Icons';
import { NODE_TYPE_ACCENTS, NODE_TYPE_NAMES, NodeTypeIcon, STATUS_NAMES, formatDuration } from './nodeVisuals';
import { componentLine, execNodeName, turnGroupName, turnTitle } from './nodeNames';

type ExecProps = NodeProps<ExecFlowNode>;

function ExecNodeCard({
  data,
  selected,
  type,
  detail,
  shape,
}: ExecProps & { type: NodeType; detail: ReactNode; shape?: 'pill' | 'decision' | 'alert' }) {
  const { node, highlighted } = data;
  const classes = [
    'exec-node',
    `status-${node.status}`,
    shape ? `shape-${shape}` : '',
    selected ? 'is-selected' : '',
    highlighted ? 'is-highlighted' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      style={{ ['--accent' as string]: NODE_TYPE_ACCENTS[type] }}
      data-node-id={node.id}
      data-node-type={type}
      data-status={node.status}
      title={`${NODE_TYPE_NAMES[type]} · ${STATUS_NAMES[node.status]}${node.error ? `\n${node.error}` : ''}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span id={nodeNameId(node.id)} className="sr-only">
        {execNodeName(node)}
      </span>
      <div className="exec-node-icon">
        <NodeTypeIcon type={type} />
      </div>
      <div className="exec-node-body">
        <div className="exec-node-title">{node.label}</div>
        <div className="exec-node-detail">{detail}</div>
      </div>
      <div className="exec-node-side">
        <span className={`status-dot status-${node.status}`} aria-label={STATUS_NAMES[node.status]} />
        <span className="exec-node-duration">{node.status === 'executing' ? '…' : formatDuration(node.duration_ms)}</span>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

const typeName = (t: NodeType) => NODE_TYPE_NAMES[t].toLowerCase();
const versioned = (p: ExecProps, t: NodeType) => componentLine(p.data.node.component, p.data.node.version) ?? typeName(t);

const UserInputNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="user_input" shape="pill" detail="user message" />);
const ModelSelectorNode = memo((p: ExecProps) => (
  <ExecNodeCard {...p} type="model_selector" detail={p.data.node.component ?? 'model selection'} />
));
const AgentNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="agent" detail={versioned(p, 'agent')} />);
const ToolNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="tool" detail={versioned(p, 'tool')} />);
const MemoryNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="memory" detail={versioned(p, 'memory')} />);
const RagNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="rag" detail={versioned(p, 'rag')} />);
const DatabaseNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="database" detail={versioned(p, 'database')} />);
const TestNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="test" detail={versioned(p, 'test')} />);
const PlanNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="plan" detail={versioned(p, 'plan')} />);
const DecisionNode = memo((p: ExecProps) => (
  <ExecNodeCard {...p} type="decision" shape="decision" detail={versioned(p, 'decision')} />
));
const ResponseNode = memo((p: ExecProps) => (
  <ExecNodeCard {...p} type="response" shape="pill" detail={versioned(p, 'response')} />
));
const ErrorNode = memo((p: ExecProps) => (
  <ExecNodeCard {...p} type="error" shape="alert" detail={p.data.node.error ?? versioned(p, 'error')} />
));
const LearningNode = memo((p: ExecProps) => <ExecNodeCard {...p} type="learning" detail={versioned(p, 'learning')} />);

const PHASE_NAMES = { running: 'running', completed: 'completed', failed: 'failed', stopped: 'stopped' } as const;

/** Background and header of an expanded turn. */
const TurnFrameNode = memo(({ data }: NodeProps<TurnFrameFlowNode>) => {
  const actions = useContext(GraphActionsContext);
  return (
    <div className={`turn-frame phase-${data.phase}${data.highlighted ? ' is-highlighted' : ''}`} data-turn-id={data.turnId}>
      <div className="turn-frame-header">
        <span className="turn-index">{turnTitle(data)}</span>
        <span className={`turn-phase phase-${data.phase}`}>{PHASE_NAMES[data.phase]}</span>
        <span className="turn-meta">
          {data.stats.total} nodes · {formatDuration(data.stats.durationMs)}
        </span>
        <span className="turn-actions">
          <button
            type="button"
            className="nodrag icon-btn"
            onClick={() => actions.zoomToTurn(data.turnId)}
            title="Zoom to this turn"
            aria-label="Zoom to this turn"
          >
            <ExpandIcon />
          </button>
          <button
            type="button"
            className="nodrag icon-btn"
            onClick={() => actions.collapseTurn(data.turnId)}
            title="Collapse this turn into one node"
            disabled={data.phase === 'running'}
            aria-label="Collapse this turn"
          >
            <CollapseIcon />
          </button>
        </span>
      </div>
    </div>
  );
});

/** A collapsed turn: one node standing for all of it; click (or Enter) to expand. */
const TurnGroupNode = memo(({ id, data, selected }: NodeProps<TurnGroupFlowNode>) => {
  const { stats } = data;
  return (
    <div
      className={`turn-group phase-${data.phase}${selected ? ' is-selected' : ''}${data.highlighted ? ' is-highlighted' : ''}`}
      data-turn-id={data.turnId}
      title="Click to expand this turn"
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <span id={nodeNameId(id)} className="sr-only">
        {turnGroupName(data)}
      </span>
      <div className="turn-group-top">
        <span className="turn-index">{turnTitle(data)}</span>
        <span className={`turn-phase phase-${data.phase}`}>{PHASE_NAMES[data.phase]}</span>
        <span className="turn-group-expand">expand ▾</span>
      </div>
      <div className="turn-group-stats">
        <span>{stats.total} nodes</span>
        <span className="ok">✓ {stats.success}</span>
        {stats.error > 0 ? <span className="bad">✕ {stats.error}</span> : null}
        {stats.executing + stats.pending > 0 ? <span className="run">● {stats.executing + stats.pending}</span> : null}
        <span className="dur">{formatDuration(stats.durationMs)}</span>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});

export const nodeTypes: NodeTypes = {
  user_input: UserInputNode,
  model_selector: ModelSelectorNode,
  agent: AgentNode,
  tool: ToolNode,
  memory: MemoryNode,
  rag: RagNode,
  database: DatabaseNode,
  test: TestNode,
  plan: PlanNode,
  decision: DecisionNode,
  response: ResponseNode,
  error: ErrorNode,
  learning: LearningNode,
  turnFrame: TurnFrameNode,
  turnGroup: TurnGroupNode,
} satisfies Record<NodeType | 'turnFrame' | 'turnGroup', NodeTypes[string]>;
