import { NodeStatus, NodeType } from '../../../domain/enums';
import {
  ExecutionEdge,
  ExecutionGraph,
  ExecutionNode,
  type GraphWithCursor,
  type ReplayStarted,
} from '../../../domain/execution';
import { builder } from '../builder';
import { zodFields } from '../zodFields';

const NodeTypeEnum = builder.enumType('NodeType', { values: NodeType.options });
const NodeStatusEnum = builder.enumType('NodeStatus', { values: NodeStatus.options });

const ExecutionNodeRef = builder.objectRef<ExecutionNode>('ExecutionNode').implement({
  fields: (t) =>
    zodFields(t, ExecutionNode, {
      type: t.field({ type: NodeTypeEnum, resolve: (n) => n.type }),
      status: t.field({ type: NodeStatusEnum, resolve: (n) => n.status }),
      // A graph is loaded without payloads (5,000 nodes stay light); a payload asked for is fetched by id.
      input: t.field({
        type: 'JSON',
        nullable: true,
        resolve: async (n, _, ctx) => (n.input !== undefined ? n.input : (await ctx.chat.getNode(n.session_id, n.id))?.input),
      }),
      output: t.field({
        type: 'JSON',
        nullable: true,
        resolve: async (n, _, ctx) => (n.output !== undefined ? n.output : (await ctx.chat.getNode(n.session_id, n.id))?.output),
      }),
    }),
});

const ExecutionEdgeRef = builder
  .objectRef<ExecutionEdge>('ExecutionEdge')
  .implement({ fields: (t) => zodFields(t, ExecutionEdge) });

const ExecutionGraphRef = builder.objectRef<GraphWithCursor>('ExecutionGraph').implement({
  fields: (t) => ({
    ...zodFields(t, ExecutionGraph, {
      nodes: t.field({ type: [ExecutionNodeRef], resolve: (g) => g.nodes }),
      edges: t.field({ type: [ExecutionEdgeRef], resolve: (g) => g.edges }),
    }),
    last_seq: t.exposeInt('last_seq', {
      description: 'Subscribe to execution_events with after_seq = last_seq to continue live.',
    }),
  }),
});

const ReplayResultRef = builder.objectRef<ReplayStarted>('ReplayResult').implement({
  fields: (t) => ({ replay_id: t.exposeID('replay_id'), workflow_id: t.exposeString('workflow_id') }),
});

builder.queryFields((t) => ({
  execution_graph: t.field({
    type: ExecutionGraphRef,
    args: { session_id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.getGraph(args.session_id, { payloads: false }),
  }),
  node: t.field({
    type: ExecutionNodeRef,
    nullable: true,
    args: { session_id: t.arg.id({ required: true }), node_id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.getNode(args.session_id, args.node_id),
  }),
}));

builder.mutationFields((t) => ({
  move_node: t.field({
    type: ExecutionNodeRef,
    description: 'Save where a person put the node on the canvas; every console viewing the session follows.',
    args: {
      session_id: t.arg.id({ required: true }),
      node_id: t.arg.id({ required: true }),
      x: t.arg.float({ required: true }),
      y: t.arg.float({ required: true }),
    },
    resolve: (_, { session_id, node_id, x, y }, ctx) => ctx.chat.moveNode(session_id, node_id, { x, y }),
  }),
  replay_node: t.field({
    type: ReplayResultRef,
    args: { session_id: t.arg.id({ required: true }), node_id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.replayNode(args.session_id, args.node_id),
  }),
}));
