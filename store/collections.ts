import { MongoBulkWriteError, type Collection, type Db, type OptionalUnlessRequiredId } from 'mongodb';
import type { MessageRecord, SessionRecord } from '../domain/chat';
import type { EdgeKind, ExecutionEdge, NodeRecord } from '../domain/execution';
import type { TurnStatus } from '../domain/events';
import type { ModelLabel } from '../domain/chat';
import { encodeFields } from './documentCodec';
import { perDb } from './perDb';

/** Documents as stored: the domain record with `_id` = its id. */
/**
 * A session with its message counters (sessionCounters.ts): `counts_complete` marks counters that
 * cover every message (documents stored before lack it and may hold an older, unkept
 * `message_count`); `deleted` only on documents stored before deletions were tombstones.
 */
export type SessionDoc = Omit<SessionRecord, 'message_count'> & {
  _id: string;
  deleted?: boolean;
  message_count?: number;
  /** The newest message's time. */
  last_message_at?: string;
  /** The newest counted messages' ids, oldest first: what makes counting a message idempotent. */
  recent_message_ids?: string[];
  counts_complete?: true;
};
export interface SessionDeletionDoc {
  _id: string; // the session id
  at: string;
}
export type MessageDoc = MessageRecord & { _id: string; seq_in_session: number };
/**
 * A node as one document (graphStore.ts): the record with its input and output, and the kind of
 * the edge from its parent (present when it has one). Nodes stored before that lack all three:
 * their input and output are in `NodePayloadDoc`, their parent edge in `EdgeDoc`.
 */
export type NodeDoc = Omit<NodeRecord, 'input' | 'output'> &
  Partial<Pick<NodeRecord, 'input' | 'output'>> & { _id: string; parent_edge_kind?: EdgeKind };
/** An older node's input and output, kept apart from it (read only for nodes stored so). */
export interface NodePayloadDoc {
  _id: string; // the node id
  session_id: string;
  input: unknown;
  output: unknown;
}
/** An edge a node does not hold: one of its further sources (an error node's), or any edge of an older node. */
export type EdgeDoc = ExecutionEdge & { _id: string };
/** Where a console last put a node (graphStore.ts): one record per node, the newest save wins. */
export interface NodePositionDoc {
  _id: string; // the node's id (records saved before one record per node have random ids; the newest still wins)
  session_id: string;
  node_id: string;
  x: number;
  y: number;
  saved_at: string;
}

export interface TurnDoc {
  _id: string;
  session_id: string;
  workflow_id: string;
  kind: 'chat_turn' | 'replay';
  status: TurnStatus;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  model: ModelLabel | null;
}

export interface EventDoc {
  _id: string; // `${stream}#${seq}`: the log is read by id only (see eventLog.ts)
  v: 1;
  stream: string;
  seq: number;
  key: string;
  data: unknown;
  created_at: string;
}

/**
 * A wake-up for readers where the database has no change streams (see eventWakeups.ts), stored in
 * `events` beside the events (a batch's tick goes in the batch's insert): its numeric `_id` never
 * matches an event's `stream#seq`.
 */
export interface EventTickDoc {
  _id: number; // a global counter from 1, gap-free: n is written only once n-1 exists
  /** `tick#n`: `key` is unique in `events`, and a document without one would count as a second null. */
  key: string;
  /** Streams that got events since the writer's previous tick. */
  streams: string[];
  /** The newest seq the writer stored in each of `streams`, in the same order. */
  heads: number[];
}

/** The tick floor record, in `events`: every tick up to `floor` may have been trimmed. */
export interface TickFloorDoc {
  _id: 'tick-floor'; // a string lookup (SQLite's `_id` index serves no number 0) that no `stream#seq` matches
  key: 'tick-floor';
  floor: number;
}

export interface MemoryDoc {
  _id: string; // `${session_id}#${key}#${uuid}`: one record per remembered fact
  session_id: string;
  key: string;
  value: string;
  created_at: string;
}

/** One revision of a setting (settingsStore.ts); a document without `setting` predates revisions. */
export interface SettingDoc {
  _id: string; // `${setting}#${rev}`
  setting: string;
  rev: number;
  value: unknown;
  updated_at: string;
}

export const collections = perDb((db: Db) => ({
  sessions: db.collection<SessionDoc>('sessions'),
  sessionDeletions: db.collection<SessionDeletionDoc>('session_deletions'),
  messages: db.collection<MessageDoc>('messages'),
  nodes: db.collection<NodeDoc>('execution_nodes'),
  nodePayloads: db.collection<NodePayloadDoc>('execution_node_payloads'),
  edges: db.collection<EdgeDoc>('execution_edges'),
  nodePositions: db.collection<NodePositionDoc>('execution_node_positions'),
  turns: db.collection<TurnDoc>('turns'),
  events: db.collection<EventDoc>('events'),
  eventTicks: db.collection<EventTickDoc>('events'),
  tickFloor: db.collection<TickFloorDoc>('events'),
  /** A batch of events and its tick, stored by one insert. */
  eventsWithTicks: db.collection<EventDoc | EventTickDoc>('events'),
  memories: db.collection<MemoryDoc>('memories'),
  settings: db.collection<SettingDoc>('settings'),
}));
export type Collections = ReturnType<typeof collections>;

/** One index per query the API and worker make. Safe to call at every start. */
export async function ensureIndexes(db: Db): Promise<void> {
  const c = collections(db);
  await Promise.all([
    c.messages.createIndex({ session_id: 1, seq_in_session: 1 }),
    c.nodes.createIndex({ session_id: 1, created_at: 1 }),
    c.edges.createIndex({ session_id: 1 }),
    c.nodePositions.createIndex({ session_id: 1, node_id: 1 }),
    c.nodePayloads.createIndex({ session_id: 1 }),
    c.turns.createIndex({ session_id: 1, status: 1 }),
    c.turns.createIndex({ started_at: -1 }),
    c.memories.createIndex({ session_id: 1, created_at: -1 }),
    // An event key is stored once: a re-emitted event (a retried activity) is refused (eventLog.ts).
    c.events.createIndex({ key: 1 }, { unique: true }),
  ]);
}

/**
 * Inserts unless a document with that `_id` exists; returns whether this call inserted it.
 * (Not an upsert with $setOnInsert: FerretDB v1 drops null fields and empty arrays there.)
 * Every field is stored through the codec (documentCodec.ts): readers decode.
 */
export async function insertOnce<T extends { _id: string | number }>(collection: Collection<T>, doc: T): Promise<boolean> {
  try {
    await collection.insertOne(encodeFields(doc) as OptionalUnlessRequiredId<T>);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/**
 * Inserts `docs` in order until one is refused as a duplicate; returns how many went in
 * (all of them, or the index of the refused one). Stored through the codec, like `insertOnce`.
 */
export async function insertInOrder<T extends { _id: string | number }>(collection: Collection<T>, docs: T[]): Promise<number> {
  try {
    await collection.insertMany(docs.map(encodeFields) as OptionalUnlessRequiredId<T>[], { ordered: true });
    return docs.length;
  } catch (err) {
    const refused = err instanceof MongoBulkWriteError ? [err.writeErrors].flat()[0] : undefined;
    if (refused?.code === 11000) return refused.index;
    throw err;
  }
}

export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
