import { ChatMessage, ModelLabel, type MessagePage, type SendMessageResult } from '../../../domain/chat';
import { builder } from '../builder';
import { zodFields } from '../zodFields';

const ModelLabelRef = builder.objectRef<ModelLabel>('ModelLabel').implement({
  fields: (t) => zodFields(t, ModelLabel),
});

export const ChatMessageRef = builder.objectRef<ChatMessage>('ChatMessage').implement({
  fields: (t) => zodFields(t, ChatMessage, { model: t.field({ type: ModelLabelRef, nullable: true, resolve: (m) => m.model }) }),
});

const MessagePageRef = builder.objectRef<MessagePage>('MessagePage').implement({
  fields: (t) => ({
    messages: t.field({ type: [ChatMessageRef], resolve: (p) => p.messages }),
    has_more: t.exposeBoolean('has_more'),
  }),
});

const SendMessageResultRef = builder.objectRef<SendMessageResult>('SendMessageResult').implement({
  fields: (t) => ({ message_id: t.exposeID('message_id'), node_id: t.exposeID('node_id'), turn_id: t.exposeID('turn_id') }),
});

builder.queryFields((t) => ({
  messages: t.field({
    type: MessagePageRef,
    description: 'Newest messages first page (or those before `before`), returned oldest → newest.',
    args: { session_id: t.arg.id({ required: true }), before: t.arg.string(), limit: t.arg.int() },
    resolve: (_, args, ctx) => ctx.chat.listMessages(args.session_id, args.before, args.limit),
  }),
  chat_last_seq: t.int({
    args: { session_id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.chatLastSeq(args.session_id),
  }),
}));

builder.mutationFields((t) => ({
  send_message: t.field({
    type: SendMessageResultRef,
    args: {
      session_id: t.arg.id({ required: true }),
      content: t.arg.string({ required: true }),
      client_message_id: t.arg.string(),
    },
    resolve: (_, args, ctx) =>
      ctx.chat.sendMessage(args.session_id, {
        content: args.content,
        ...(args.client_message_id ? { client_message_id: args.client_message_id } : {}),
      }),
  }),
  stop_generation: t.int({
    description: 'Signals the running turns of the session to stop; returns how many were signalled.',
    args: { session_id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.stopGeneration(args.session_id),
  }),
}));
