import type { Db, Filter } from 'mongodb';
import {
  executionEdge,
  executionNode,
  placeNode,
  withSavedPosition,
  type ExecutionEdge,
  type ExecutionNode,
  type NodeRecord,
  type Position,
  type SavedPosition,
} from '../domain/execution';
import { collections, EdgeDoc, insertOnce, isDuplicateKeyError, NodeDoc, NodePayloadDoc, NodePositionDoc } from './collections';
import { decodeFields, decodeFound, encodeFields } from './documentCodec';

/** An edge stored before the spec's names (`source`/`target`, no `data` or `label`) is read as the spec has it. */
type LegacyEdgeFields = Partial<ExecutionEdge> & { source?: string; target?: string };
function toEdge({ _id, ...stored }: EdgeDoc & LegacyEdgeFields): ExecutionEdge {
  if (stored.source_node_id) return stored;
  return executionEdge(stored.session_id, stored.source ?? '', stored.target ?? '', stored.kind ?? 'flow');
}

/**
 * Nodes are stored in two parts: the node (small; a graph load reads thousands) and its
 * payload (input and output, possibly large; read by id when a node is opened).
 */
function toNode(doc: NodeDoc, payload: NodePayloadDoc | null): ExecutionNode {
  const { _id, ...node } = decodeFields(doc);
  const decoded = decodeFound(payload);
  return executionNode({ ...node, input: decoded?.input ?? null, output: decoded?.output ?? null });
}

async function withPayload(db: Db, doc: NodeDoc | null): Promise<ExecutionNode | null> {
  if (!doc) return null;
  return toNode(doc, await collections(db).nodePayloads.findOne({ _id: doc._id }));
}

/**
 * Where the nodes this process created were placed (a node's `position` never changes once
 * stored; where a person moves it is saved apart), so placing a child under a parent created
 * here reads no parent: the next step of a turn mostly runs where the previous one did.
 */
const PLACED_KEPT = 10_000;
const placed = new Map<string, Position>();
const placedKey = (db: Db, id: string) => `${db.databaseName}\u0000${id}`;
function notePlaced(db: Db, id: string, position: Position) {
  placed.set(placedKey(db, id), position);
  if (placed.size > PLACED_KEPT) placed.delete(placed.keys().next().value!); // the oldest
}

/**
 * The server's layout for a new node (one or two queries): below its parent, beside the
 * parent's earlier children; a turn's first node below the session's earlier turns.
 */
export async function positionFor(db: Db, sessionId: string, parentId: string | null): Promise<Position> {
  const { nodes } = collections(db);
  // Siblings counted from their ids: a find is answered by index where a count is an aggregation.
  const count = async (parent: string | null) =>
    (await nodes.find({ session_id: sessionId, parent_node_id: parent }, { projection: { _id: 1 } }).toArray()).length;
  if (!parentId) return placeNode(null, 0, await count(null));
  // Two equality queries the embedded database narrows by index (an `$or` it would answer by
  // reading every node of every session).
  const [parentPosition, siblings] = await Promise.all([
    placed.get(placedKey(db, parentId)) ??
      nodes.findOne({ _id: parentId }, { projection: { position: 1 } }).then((parent) => parent?.position),
    count(parentId),
  ]);
  return placeNode(parentPosition ?? { x: 0, y: 0 }, siblings, 0);
}

/** Creates the node unless it exists; returns whether this call created it. */
export async function insertNodeOnce(db: Db, { input, output, ...node }: NodeRecord & { position: Position }): Promise<boolean> {
  const { nodes, nodePayloads } = collections(db);
  // Both at once: a retry of the step inserts the one a crash left out.
  const [, created] = await Promise.all([
    insertOnce(nodePayloads, { _id: node.id, session_id: node.session_id, input, output }),
    insertOnce(nodes, { _id: node.id, ...node }),
  ]);
  if (created) notePlaced(db, node.id, node.position);
  return created;
}

/** Applies `patch`; returns the node without its payloads (what events carry). */
export async function updateNode(
  db: Db,
  id: string,
  patch: Partial<NodeRecord>,
): Promise<Omit<ExecutionNode, 'input' | 'output'>> {
  const { input, output, ...rest } = patch;
  const payloadPatch = { ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}) };
  const [doc] = await Promise.all([
    collections(db).nodes.findOneAndUpdate({ _id: id }, { $set: encodeFields(rest) }, { returnDocument: 'after' }),
    Object.keys(payloadPatch).length > 0
      ? collections(db).nodePayloads.updateOne({ _id: id }, { $set: encodeFields(payloadPatch) })
      : null,
  ]);
  if (!doc) throw new Error(`node ${id} does not exist`);
  const { _id, ...node } = decodeFields(doc);
  return executionNode(node);
}

export async function addMessageToNode(db: Db, nodeId: string, messageId: string): Promise<void> {
  const res = await collections(db).nodes.updateOne({ _id: nodeId }, { $addToSet: { chat_message_ids: messageId } });
  if (res.matchedCount === 0) throw new Error(`node ${nodeId} does not exist`);
}

export async function getNode(db: Db, sessionId: string, id: string): Promise<ExecutionNode | null> {
  const doc = await collections(db).nodes.findOne({ _id: id });
  if (doc?.session_id !== sessionId) return null;
  const [node, saved] = await Promise.all([withPayload(db, doc), savedPositions(db, { session_id: sessionId, node_id: id })]);
  return node && withSavedPosition(node, saved.get(id));
}

/**
 * Records where a person put a node: one record per node, replaced only by a newer save (a
 * conditional upsert; when a newer save is stored, the upsert's insert is refused as a duplicate
 * and this save is dropped). The node's own record stays the workflow's to update.
 */
export async function saveNodePosition(db: Db, sessionId: string, nodeId: string, position: Position): Promise<SavedPosition> {
  const saved_at = new Date().toISOString();
  try {
    await collections(db).nodePositions.updateOne(
      { _id: nodeId, saved_at: { $lt: saved_at } },
      { $set: { session_id: sessionId, node_id: nodeId, ...position, saved_at } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  return { node_id: nodeId, position, saved_at };
}

/** The newest saved position of each node the filter matches. */
async function savedPositions(db: Db, filter: Filter<NodePositionDoc>): Promise<Map<string, SavedPosition>> {
  const docs = await collections(db).nodePositions.find(filter).toArray();
  const newest = new Map<string, SavedPosition>();
  for (const { node_id, x, y, saved_at } of docs) {
    const known = newest.get(node_id);
    if (!known || saved_at >= known.saved_at) newest.set(node_id, { node_id, position: { x, y }, saved_at });
  }
  return newest;
}

/** Returns true when this call created the edge. */
export async function insertEdgeOnce(db: Db, edge: ExecutionEdge): Promise<boolean> {
  return insertOnce(collections(db).edges, { _id: edge.id, ...edge });
}

/** One turn's nodes with their payloads, in creation order (the turn's trace is built from them). */
export async function getTurnNodes(db: Db, sessionId: string, turnId: string): Promise<ExecutionNode[]> {
  const { nodes, nodePayloads } = collections(db);
  const docs = await nodes.find({ session_id: sessionId, turn_id: turnId }).sort({ created_at: 1 }).toArray();
  const payloads = await nodePayloads.find({ _id: { $in: docs.map((doc) => doc._id) } }).toArray();
  const byId = new Map(payloads.map((p) => [p._id, p]));
  return docs.map((doc) => toNode(doc, byId.get(doc._id) ?? null));
}

/** The session's nodes and edges; without payloads, nodes carry no `input`/`output` (fetch them per node). */
export async function getGraphParts(db: Db, sessionId: string, options: { payloads: boolean } = { payloads: true }) {
  const { nodes, edges, nodePayloads } = collections(db);
  const [nodeDocs, edgeDocs, payloadDocs, saved] = await Promise.all([
    nodes.find({ session_id: sessionId }).sort({ created_at: 1 }).toArray(),
    edges.find({ session_id: sessionId }).toArray(),
    options.payloads ? nodePayloads.find({ session_id: sessionId }).toArray() : Promise.resolve([]),
    savedPositions(db, { session_id: sessionId }),
  ]);
  const payloads = new Map(payloadDocs.map((p) => [p._id, p]));
  const toGraphNode = options.payloads
    ? (doc: NodeDoc) => toNode(doc, payloads.get(doc._id) ?? null)
    : (doc: NodeDoc) => {
        const { _id, ...node } = decodeFields(doc);
        return executionNode(node as NodeRecord);
      };
  // Edges in the order their nodes were created (the store keeps no insertion order).
  const order = new Map(nodeDocs.map((doc, i) => [doc._id, i]));
  const rank = (id: string) => order.get(id) ?? nodeDocs.length;
  const sortedEdges = edgeDocs
    .map(toEdge)
    .sort((a, b) => rank(a.target_node_id) - rank(b.target_node_id) || rank(a.source_node_id) - rank(b.source_node_id));
  return { nodes: nodeDocs.map((doc) => withSavedPosition(toGraphNode(doc), saved.get(doc._id))), edges: sortedEdges };
}
