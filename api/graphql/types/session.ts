import { ChatSession } from '../../../domain/chat';
import { builder } from '../builder';
import { listPageArgs } from '../listPageArgs';
import { zodFields } from '../zodFields';
import { ChatMessageRef } from './message';

export const ChatSessionRef = builder.objectRef<ChatSession>('ChatSession').implement({
  fields: (t) => zodFields(t, ChatSession, { messages: t.field({ type: [ChatMessageRef], resolve: (s) => s.messages }) }),
});

builder.queryFields((t) => ({
  sessions: t.field({
    type: [ChatSessionRef],
    description: 'Newest activity first (lists carry no messages).',
    args: listPageArgs('Sessions', 500, '`updated_at|id` of the last session of this one.'),
    resolve: (_, a, ctx) => ctx.chat.listSessions(a.limit, a.after),
  }),
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
