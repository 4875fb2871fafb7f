import type { Db } from 'mongodb';
import type { ExecutionEdge, ExecutionGraph, ExecutionNode } from '../domain/execution';
import { collections, EdgeDoc, insertOnce, NodeDoc } from './collections';

const toNode = ({ _id, ...node }: NodeDoc): ExecutionNode => node;
const toEdge = ({ _id, ...edge }: EdgeDoc): ExecutionEdge => edge;

/** Creates the node if it does not exist yet; returns the stored node either way. */
export async function insertNodeOnce(db: Db, node: ExecutionNode): Promise<ExecutionNode> {
  const { nodes } = collections(db);
  await insertOnce(nodes, { _id: node.id, ...node });
  return toNode((await nodes.findOne({ _id: node.id }))!);
}

export async function updateNode(db: Db, id: string, patch: Partial<ExecutionNode>): Promise<ExecutionNode> {
  const doc = await collections(db).nodes.findOneAndUpdate({ _id: id }, { $set: patch }, { returnDocument: 'after' });
  if (!doc) throw new Error(`node ${id} does not exist`);
  return toNode(doc);
}

export async function addMessageToNode(db: Db, nodeId: string, messageId: string): Promise<ExecutionNode> {
  const doc = await collections(db).nodes.findOneAndUpdate(
    { _id: nodeId }, { $addToSet: { chat_message_ids: messageId } }, { returnDocument: 'after' },
  );
  if (!doc) throw new Error(`node ${nodeId} does not exist`);
  return toNode(doc);
}

export async function getNode(db: Db, sessionId: string, id: string): Promise<ExecutionNode | null> {
  const doc = await collections(db).nodes.findOne({ _id: id, session_id: sessionId });
  return doc ? toNode(doc) : null;
}

/** Returns true when this call created the edge. */
export async function insertEdgeOnce(db: Db, edge: ExecutionEdge): Promise<boolean> {
  return insertOnce(collections(db).edges, { _id: edge.id, ...edge });
}

/** The session's graph; without payloads, nodes carry no `input`/`output` (fetch them per node). */
export async function getGraph(db: Db, sessionId: string, options: { payloads: boolean } = { payloads: true }): Promise<ExecutionGraph> {
  const { nodes, edges } = collections(db);
  const projection = options.payloads ? undefined : { input: 0, output: 0 };
  const [nodeDocs, edgeDocs] = await Promise.all([
    nodes.find({ session_id: sessionId }, { projection }).sort({ created_at: 1 }).toArray(),
    edges.find({ session_id: sessionId }).toArray(),
  ]);
  return { session_id: sessionId, nodes: nodeDocs.map(toNode), edges: edgeDocs.map(toEdge) };
}
