import { ChatSession } from '../../../domain/chat';
import { builder } from '../builder';
import { zodFields } from '../zodFields';
import { ChatMessageRef } from './message';

export const ChatSessionRef = builder.objectRef<ChatSession>('ChatSession').implement({
  fields: (t) => zodFields(t, ChatSession, { messages: t.field({ type: [ChatMessageRef], resolve: (s) => s.messages }) }),
});

builder.queryFields((t) => ({
  sessions: t.field({ type: [ChatSessionRef], resolve: (_, __, ctx) => ctx.chat.listSessions() }),
  session: t.field({
    type: ChatSessionRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.getSession(args.id),
  }),
}));

builder.mutationFields((t) => ({
  create_session: t.field({
    type: ChatSessionRef,
    args: { title: t.arg.string() },
    resolve: (_, args, ctx) => ctx.chat.createSession(args.title == null ? {} : { title: args.title }),
  }),
  rename_session: t.field({
    type: ChatSessionRef,
    args: { id: t.arg.id({ required: true }), title: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.renameSession(args.id, args.title),
  }),
  delete_session: t.boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, args, ctx) => ctx.chat.deleteSession(args.id),
  }),
}));
