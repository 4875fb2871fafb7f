import { ExecutionNode, GraphWithCursor, NodePositionInput, ReplayStarted } from '../../domain/execution';
import { notFound } from '../errors';
import { declareRoute } from './routeDeclaration';

/** The contract's execution-graph routes; the same service code as GraphQL. */
export const executionRoutes = [
  declareRoute({
    method: 'get',
    path: '/api/execution/{session_id}/graph',
    summary: "The session's whole execution graph",
    tag: 'execution',
    spec: true,
    status: 200,
    response: GraphWithCursor,
    handle: ({ params }, { chat }) => chat.getGraph(params.session_id),
  }),
  declareRoute({
    method: 'get',
    path: '/api/execution/{session_id}/node/{node_id}',
    summary: 'One node with its input and output',
    tag: 'execution',
    spec: true,
    status: 200,
    response: ExecutionNode,
    handle: async ({ params }, { chat }) => {
      const node = await chat.getNode(params.session_id, params.node_id);
      if (!node) throw notFound(`node ${params.node_id}`);
      return node;
    },
  }),
  declareRoute({
    method: 'put',
    path: '/api/execution/{session_id}/node/{node_id}/position',
    summary: 'Save where a person put the node on the canvas (the newest save is its position)',
    tag: 'execution',
    body: NodePositionInput,
    status: 200,
    response: ExecutionNode,
    handle: ({ params, body }, { chat }) => chat.moveNode(params.session_id, params.node_id, body),
  }),
  declareRoute({
    method: 'post',
    path: '/api/execution/{session_id}/replay/{node_id}',
    summary: 'Run that node again (a new node, joined by a replay edge)',
    tag: 'execution',
    spec: true,
    status: 202,
    response: ReplayStarted,
    handle: ({ params }, { chat }) => chat.replayNode(params.session_id, params.node_id),
  }),
];
