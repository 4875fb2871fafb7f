import { z } from 'zod';
import { ChatMessage, ChatSession } from './chat';
import { AutonomyLevel } from './enums';
import { ChatEventData, ExecutionEventData } from './events';
import { GraphWithCursor } from './execution';
import { MetaEvent, SystemMetrics } from './meta';

/**
 * What the three WebSocket channels (/ws/chat/{session_id}, /ws/execution/{session_id}, /ws/meta)
 * send: `initial_state` first, then each stored event under its stream's type. The sender
 * (api/ws/channels.ts) validates every message against these before it sends it; the OpenAPI
 * document lists them as schemas (channels are not expressible as paths).
 */

export const ChatInitialState = z.object({
  type: z.literal('initial_state'),
  data: z.object({ session: ChatSession, messages: z.array(ChatMessage), has_more: z.boolean(), last_seq: z.number().int() }),
});
export const ExecutionInitialState = z.object({ type: z.literal('initial_state'), data: GraphWithCursor });
export const MetaInitialState = z.object({
  type: z.literal('initial_state'),
  data: z.object({
    metrics: SystemMetrics,
    autonomy_level: AutonomyLevel,
    timeline: z.array(MetaEvent),
    last_seq: z.number().int(),
  }),
});
export const MetaEventMessage = z.object({ type: z.literal('meta_event'), seq: z.number().int(), data: MetaEvent });
export const ChatEventMessage = z.object({
  type: z.literal('chat_event'),
  session_id: z.string(),
  seq: z.number().int(),
  data: ChatEventData,
});
export const ExecutionEventMessage = z.object({
  type: z.literal('execution_event'),
  session_id: z.string(),
  seq: z.number().int(),
  data: ExecutionEventData,
});
/** A chat channel's answer to a message it received: the turn it started. */
export const MessageReceived = z.object({ type: z.literal('message_received'), message_id: z.string(), node_id: z.string() });

/** Why a channel refused a frame or is closing (sent before the close, for clients that ignore close reasons). */
export const ChannelError = z.object({ type: z.literal('error'), message: z.string() });

/** Every channel message by name, as the OpenAPI document names its schemas. */
export const CHANNEL_MESSAGES = {
  ChatInitialState,
  ExecutionInitialState,
  MetaInitialState,
  MetaEventMessage,
  ChatEventMessage,
  ExecutionEventMessage,
  MessageReceived,
  ChannelError,
} as const;
