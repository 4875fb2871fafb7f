import type { Db, Filter } from 'mongodb';
import {
  executionEdge,
  executionNode,
  placeNode,
  withSavedPosition,
  type EdgeKind,
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
 * A node is one document: the record, its input and output, and the kind of the edge from its
 * parent; it is inserted once when the node starts and updated once when it ends. Compat: nodes
 * stored before that keep their input and output in `nodePayloads` (read for them only, field
 * by field) and their parent edge in `edges`.
 */
const embedsPayload = (doc: NodeDoc) => 'input' in doc && 'output' in doc;
const payloadOf = (node: Partial<NodePayloadDoc>, older: Partial<NodePayloadDoc> | null) => ({
  input: 'input' in node ? node.input : (older?.input ?? null),
  output: 'output' in node ? node.output : (older?.output ?? null),
});
/** A graph load without payloads leaves them out of what it is sent. */
const WITHOUT_PAYLOAD = { input: 0, output: 0 } as const;

/** The node's own fields (what events carry), without its payloads and stored extras. */
function nodeFields(doc: NodeDoc): Omit<NodeRecord, 'input' | 'output'> {
  const { _id, parent_edge_kind, input, output, ...node } = decodeFields(doc);
  return node;
}

function toNode(doc: NodeDoc, older: NodePayloadDoc | undefined): ExecutionNode {
  const { _id, parent_edge_kind, ...node } = decodeFields(doc);
  return executionNode({ ...node, ...payloadOf(node, decodeFound(older ?? null)) });
}

function parentEdgeOf({ _id, session_id, parent_node_id, parent_edge_kind }: NodeDoc): ExecutionEdge | null {
  return parent_node_id && parent_edge_kind ? executionEdge(session_id, parent_node_id, _id, parent_edge_kind) : null;
}

/** Compat: the payload records of those of `docs` stored before a node was one document. */
async function olderPayloads(db: Db, sessionId: string, docs: NodeDoc[]): Promise<Map<string, NodePayloadDoc>> {
  const ids = docs.filter((doc) => !embedsPayload(doc)).map((doc) => doc._id);
  if (ids.length === 0) return new Map();
  const found = await collections(db)
    .nodePayloads.find({ session_id: sessionId, _id: { $in: ids } })
    .toArray();
  return new Map(found.map((payload) => [payload._id, payload]));
}

/**
 * Where the nodes this process created were placed, and in which turn (a node's `position`
 * never changes once stored; where a person moves it is saved apart), so placing a child under a
 * parent created here reads no parent: the next step of a turn mostly runs where the previous one did.
 */
const PLACED_KEPT = 10_000;
const placed = new Map<string, { position: Position; turnId: string }>();
const placedKey = (db: Db, id: string) => `${db.databaseName}\u0000${id}`;
function notePlaced(db: Db, node: Pick<NodeRecord, 'id' | 'turn_id'> & { position: Position }) {
  placed.set(placedKey(db, node.id), { position: node.position, turnId: node.turn_id });
  if (placed.size > PLACED_KEPT) placed.delete(placed.keys().next().value!); // the oldest
}

/**
 * The server's layout for a new node: below its parent, beside the parent's earlier children; a
 * turn's first node below the session's earlier turns. A step that goes on from a node of its own
 * turn is that node's first child (the turn's workflow runs its steps one after another), so only
 * roots, replays and error nodes (which join the node that failed, and it may have gone on) count
 * siblings. A replay of a node whose next step has not started yet can share that step's place.
 */
export async function positionFor(
  db: Db,
  node: Pick<NodeRecord, 'session_id' | 'turn_id' | 'type' | 'parent_node_id'>,
): Promise<Position> {
  const { nodes } = collections(db);
  // Siblings counted from their ids: a find is answered by index where a count is an aggregation.
  const count = async (parent: string | null) =>
    (await nodes.find({ session_id: node.session_id, parent_node_id: parent }, { projection: { _id: 1 } }).toArray()).length;
  const parentId = node.parent_node_id;
  if (!parentId) return placeNode(null, 0, await count(null));
  const parent =
    placed.get(placedKey(db, parentId)) ??
    (await nodes
      .findOne({ _id: parentId }, { projection: { position: 1, turn_id: 1 } })
      .then((doc) => doc && { position: doc.position, turnId: doc.turn_id }));
  const goesOn = parent?.turnId === node.turn_id && node.type !== 'error';
  return placeNode(parent?.position ?? { x: 0, y: 0 }, goesOn ? 0 : await count(parentId), 0);
}

/**
 * Creates the node unless it exists (one insert: its payloads and the edge from its parent, of
 * `parentEdgeKind`, inside it); returns whether this call created it.
 */
export async function insertNodeOnce(
  db: Db,
  node: NodeRecord & { position: Position },
  parentEdgeKind: EdgeKind = 'flow',
): Promise<boolean> {
  const created = await insertOnce(collections(db).nodes, {
    _id: node.id,
    ...node,
    ...(node.parent_node_id ? { parent_edge_kind: parentEdgeKind } : {}),
  });
  if (created) notePlaced(db, node);
  return created;
}

/** Applies `patch` (one write); returns the node without its payloads (what events carry). */
export async function updateNode(
  db: Db,
  id: string,
  patch: Partial<NodeRecord>,
): Promise<Omit<ExecutionNode, 'input' | 'output'>> {
  const doc = await collections(db).nodes.findOneAndUpdate(
    { _id: id },
    { $set: encodeFields(patch) },
    // Whole (FerretDB v1's findAndModify takes no projection); the payloads are dropped here.
    { returnDocument: 'after' },
  );
  if (!doc) throw new Error(`node ${id} does not exist`);
  return executionNode(nodeFields(doc));
}

export async function addMessageToNode(db: Db, nodeId: string, messageId: string): Promise<void> {
  const res = await collections(db).nodes.updateOne({ _id: nodeId }, { $addToSet: { chat_message_ids: messageId } });
  if (res.matchedCount === 0) throw new Error(`node ${nodeId} does not exist`);
}

export async function getNode(db: Db, sessionId: string, id: string): Promise<ExecutionNode | null> {
  const [doc, saved] = await Promise.all([
    collections(db).nodes.findOne({ _id: id }),
    savedPositions(db, { session_id: sessionId, node_id: id }),
  ]);
  if (doc?.session_id !== sessionId) return null;
  const older = await olderPayloads(db, sessionId, [doc]);
  return withSavedPosition(toNode(doc, older.get(id)), saved.get(id));
}

/**
 * The input and output of each of `ids` that exists (only the parts `projection` names), one
 * lookup by `_id` per node: FerretDB v1 serves a single `_id` equality from its index and
 * decodes the whole collection for an `$in` (see turnStore.ts).
 */
export async function nodePayloadsById(
  db: Db,
  ids: string[],
  projection: Record<string, 1>,
): Promise<Map<string, { input: unknown; output: unknown }>> {
  const { nodes, nodePayloads } = collections(db);
  const found = await Promise.all(
    ids.map(async (_id) => {
      const doc = await nodes.findOne({ _id }, { projection });
      if (!doc) return [];
      const older = embedsPayload(doc) ? null : await nodePayloads.findOne({ _id }, { projection });
      return [[_id, payloadOf(decodeFields(doc), decodeFound(older))] as const];
    }),
  );
  return new Map(found.flat());
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

/** Stores an edge no node holds (a further source of a node: its parent's edge is inside it); returns true when this call created it. */
export async function insertEdgeOnce(db: Db, edge: ExecutionEdge): Promise<boolean> {
  return insertOnce(collections(db).edges, { _id: edge.id, ...edge });
}

/** One turn's nodes with their payloads, in creation order (the turn's trace is built from them). */
export async function getTurnNodes(db: Db, sessionId: string, turnId: string): Promise<ExecutionNode[]> {
  const docs = await collections(db).nodes.find({ session_id: sessionId, turn_id: turnId }).sort({ created_at: 1 }).toArray();
  const older = await olderPayloads(db, sessionId, docs);
  return docs.map((doc) => toNode(doc, older.get(doc._id)));
}

/** The session's nodes and edges; without payloads, nodes carry no `input`/`output` (fetch them per node). */
export async function getGraphParts(db: Db, sessionId: string, options: { payloads: boolean } = { payloads: true }) {
  const { nodes, edges } = collections(db);
  const [nodeDocs, edgeDocs, saved] = await Promise.all([
    nodes
      .find({ session_id: sessionId }, options.payloads ? {} : { projection: WITHOUT_PAYLOAD })
      .sort({ created_at: 1 })
      .toArray(),
    edges.find({ session_id: sessionId }).toArray(),
    savedPositions(db, { session_id: sessionId }),
  ]);
  const older = options.payloads ? await olderPayloads(db, sessionId, nodeDocs) : new Map<string, NodePayloadDoc>();
  const toGraphNode = options.payloads
    ? (doc: NodeDoc) => toNode(doc, older.get(doc._id))
    : (doc: NodeDoc) => executionNode(nodeFields(doc) as NodeRecord);
  // The edges nodes hold (from their parents) and the stored ones (further sources, older nodes' edges), by id.
  const byId = new Map(edgeDocs.map(toEdge).map((edge) => [edge.id, edge]));
  for (const edge of nodeDocs.map(parentEdgeOf)) if (edge) byId.set(edge.id, edge);
  // Edges in the order their nodes were created (the store keeps no insertion order).
  const order = new Map(nodeDocs.map((doc, i) => [doc._id, i]));
  const rank = (id: string) => order.get(id) ?? nodeDocs.length;
  const sortedEdges = [...byId.values()].sort(
    (a, b) => rank(a.target_node_id) - rank(b.target_node_id) || rank(a.source_node_id) - rank(b.source_node_id),
  );
  return { nodes: nodeDocs.map((doc) => withSavedPosition(toGraphNode(doc), saved.get(doc._id))), edges: sortedEdges };
}
