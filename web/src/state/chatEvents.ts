/**
 * The chat panel's state and the pure reducer that applies stored chat events
 * (domain/events.ts ChatEventData) to it. No React, no I/O: unit-tested in
 * test/unit/web-chatEvents.test.ts.
 */
import { ChatEventData } from '../../../domain/events';
import type { ChatMessage } from '../../../domain/chat';
import type { NodeStatus, NodeType } from '../../../domain/enums';
import { freshInOrder, type SequencedEvent } from './sequencedEvents';

export interface AgentActivity {
  node_id: string;
  node_type: NodeType;
  label: string;
  status: NodeStatus;
}

export interface ChatState {
  sessionId: string | null;
  loaded: boolean;
  /** Highest seq applied; the subscription resumes after it. */
  lastSeq: number;
  /** Oldest → newest. */
  messages: ChatMessage[];
  hasMore: boolean;
  /** The attempt whose tokens are being shown, per streaming message. */
  attempts: Record<string, number>;
  /** The latest agent status of the session (what the system is doing now). */
  activity: AgentActivity | null;
  /** Latest context per turn (context_update). */
  contexts: Record<string, Record<string, unknown>>;
  /** Events that did not match the catalog (counted, not applied). */
  unreadable: number;
}

export type ChatAction =
  | { type: 'reset'; sessionId: string | null }
  | { type: 'loaded'; sessionId: string; messages: ChatMessage[]; hasMore: boolean; lastSeq: number }
  | { type: 'older_loaded'; sessionId: string; messages: ChatMessage[]; hasMore: boolean }
  | { type: 'events'; sessionId: string; events: SequencedEvent[] };

export function initialChatState(sessionId: string | null = null): ChatState {
  return {
    sessionId,
    loaded: false,
    lastSeq: 0,
    messages: [],
    hasMore: false,
    attempts: {},
    activity: null,
    contexts: {},
    unreadable: 0,
  };
}

const TERMINAL = new Set(['complete', 'stopped', 'error']);

export function isGenerating(state: ChatState): boolean {
  return state.messages.some((m) => m.role === 'assistant' && m.status === 'streaming');
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  if (action.type === 'reset') return initialChatState(action.sessionId);
  // Results for a session that is no longer open are dropped.
  if (action.sessionId !== state.sessionId) return state;
  switch (action.type) {
    case 'loaded':
      return {
        ...initialChatState(action.sessionId),
        loaded: true,
        lastSeq: action.lastSeq,
        messages: sortMessages(dedupeById(action.messages)),
        hasMore: action.hasMore,
      };
    case 'older_loaded': {
      const known = new Set(state.messages.map((m) => m.id));
      const older = action.messages.filter((m) => !known.has(m.id));
      return { ...state, hasMore: action.hasMore, messages: sortMessages([...older, ...state.messages]) };
    }
    case 'events':
      return applyChatEvents(state, action.events);
  }
}

/** Applies a batch of stored chat events in seq order; already-applied seqs are ignored. */
export function applyChatEvents(state: ChatState, events: readonly SequencedEvent[]): ChatState {
  const fresh = freshInOrder(events, state.lastSeq);
  if (fresh.length === 0) return state;

  let messages = state.messages.slice();
  const index = new Map(messages.map((m, i) => [m.id, i]));
  const attempts = { ...state.attempts };
  let { activity, contexts, unreadable } = state;

  const put = (message: ChatMessage) => {
    const at = index.get(message.id);
    if (at !== undefined) {
      messages[at] = message;
      return;
    }
    const last = messages[messages.length - 1];
    if (!last || compareMessages(last, message) <= 0) {
      index.set(message.id, messages.length);
      messages.push(message);
    } else {
      messages = sortMessages([...messages, message]);
      index.clear();
      messages.forEach((m, i) => index.set(m.id, i));
    }
  };
  // Messages older than the loaded window belong to pages not loaded yet ("Load older" brings them).
  const windowStart = state.hasMore ? state.messages[0]?.timestamp : undefined;
  const outsideWindow = (message: ChatMessage) =>
    windowStart !== undefined && !index.has(message.id) && message.timestamp < windowStart;
  const find = (id: string) => {
    const at = index.get(id);
    return at === undefined ? undefined : messages[at];
  };

  for (const event of fresh) {
    const parsed = ChatEventData.safeParse(event.data);
    if (!parsed.success) {
      unreadable += 1;
      continue;
    }
    const data = parsed.data;
    switch (data.type) {
      case 'message_created': {
        const existing = find(data.message.id);
        // A finished message is authoritative; creation carries the empty start
        // of the stream, and every token after it follows in this stream.
        if (existing && TERMINAL.has(existing.status)) break;
        if (outsideWindow(data.message)) break;
        put(data.message);
        delete attempts[data.message.id];
        break;
      }
      case 'token': {
        const message = find(data.message_id);
        if (!message || TERMINAL.has(message.status)) break;
        const current = attempts[data.message_id];
        if (current !== undefined && data.attempt < current) break; // late token of an abandoned attempt
        const restart = current !== undefined && data.attempt > current;
        attempts[data.message_id] = data.attempt;
        put({ ...message, content: (restart ? '' : message.content) + data.delta });
        break;
      }
      case 'stream_reset': {
        const message = find(data.message_id);
        if (!message || TERMINAL.has(message.status)) break;
        const current = attempts[data.message_id];
        if (current !== undefined && data.attempt < current) break;
        attempts[data.message_id] = data.attempt;
        put({ ...message, content: '' });
        break;
      }
      case 'message_completed':
        if (outsideWindow(data.message)) break;
        put(data.message);
        delete attempts[data.message.id];
        if (data.message.role === 'assistant') activity = null;
        break;
      case 'agent_status':
        activity = { node_id: data.node_id, node_type: data.node_type, label: data.label, status: data.status };
        break;
      case 'context_update':
        contexts = { ...contexts, [data.turn_id]: data.context };
        break;
    }
  }

  const lastSeq = fresh[fresh.length - 1]!.seq;
  return {
    ...state,
    lastSeq,
    messages,
    attempts,
    activity,
    contexts,
    unreadable,
  };
}

function compareMessages(a: ChatMessage, b: ChatMessage): number {
  if (a.timestamp < b.timestamp) return -1;
  if (a.timestamp > b.timestamp) return 1;
  return 0;
}

/** Stable sort by timestamp: equal timestamps keep arrival order (user before assistant). */
function sortMessages(messages: ChatMessage[]): ChatMessage[] {
  return messages
    .map((m, i) => [m, i] as const)
    .sort(([a, i], [b, j]) => compareMessages(a, b) || i - j)
    .map(([m]) => m);
}

function dedupeById(messages: ChatMessage[]): ChatMessage[] {
  const seen = new Map<string, ChatMessage>();
  for (const m of messages) seen.set(m.id, m);
  return [...seen.values()];
}
