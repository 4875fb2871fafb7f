import { z } from 'zod';
import { MessageRole, MessageStatus } from './enums';

export const MAX_MESSAGE_CHARS = 8000;
export const MAX_TITLE_CHARS = 200;

/** Which model produced an answer; `offline` is true for the built-in deterministic model. */
export const ModelLabel = z.object({
  provider: z.string(),
  model: z.string(),
  offline: z.boolean(),
});
export type ModelLabel = z.infer<typeof ModelLabel>;

export const ChatMessage = z.object({
  // ── spec fields ──
  id: z.string(),
  session_id: z.string(),
  role: MessageRole,
  content: z.string(),
  timestamp: z.string().describe('ISO 8601'),
  metadata: z.record(z.string(), z.unknown()).describe('turn_id, status and the model that answered'),
  node_id: z
    .string()
    .nullable()
    .describe('The execution node the message belongs to (user_input for a question, response for an answer)'),
  // ── Evoscope's extras ──
  status: MessageStatus,
  /** Execution nodes that produced (or consumed) this message. */
  node_ids: z.array(z.string()),
  /** The chat turn (workflow) this message belongs to. */
  turn_id: z.string(),
  model: ModelLabel.nullable(),
  error: z.string().nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A page of a session's messages, oldest → newest; `has_more` when older ones remain. */
export const MessagePage = z.object({ messages: z.array(ChatMessage), has_more: z.boolean() });
export type MessagePage = z.infer<typeof MessagePage>;

/** A message as the store keeps it; metadata and node_id are derived on read (chatMessage). */
export type MessageRecord = Omit<ChatMessage, 'metadata' | 'node_id'>;

export function chatMessage(record: MessageRecord): ChatMessage {
  return {
    ...record,
    metadata: { turn_id: record.turn_id, status: record.status, ...(record.model ? { model: record.model } : {}) },
    node_id: record.node_ids[0] ?? null,
  };
}

export const ChatSession = z.object({
  // ── spec fields ──
  id: z.string(),
  title: z.string(),
  created_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
  messages: z
    .array(ChatMessage)
    .describe(
      "Lists carry none; the chat channel's initial_state carries the latest page (GET /api/chat/{id}/messages pages them)",
    ),
  execution_graph_id: z.string().nullable(),
  // ── Evoscope's extras ──
  message_count: z.number().int(),
});
export type ChatSession = z.infer<typeof ChatSession>;
/** A session as the store keeps it. */
export type SessionRecord = Omit<ChatSession, 'messages' | 'execution_graph_id'>;

// ---- API inputs (validated at the edge) ----
export const CreateSessionInput = z
  .object({
    title: z.string().trim().min(1).max(MAX_TITLE_CHARS).optional(),
  })
  .strict();
export type CreateSessionInput = z.infer<typeof CreateSessionInput>;

export const SendMessageInput = z
  .object({
    content: z.string().trim().min(1, 'content must not be empty').max(MAX_MESSAGE_CHARS),
    /** Optional idempotency key chosen by the client: a repeated submit with it starts no second run. */
    client_message_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .strict();
export type SendMessageInput = z.infer<typeof SendMessageInput>;

export const SendMessageResult = z.object({ message_id: z.string(), node_id: z.string(), turn_id: z.string() });
export type SendMessageResult = z.infer<typeof SendMessageResult>;
