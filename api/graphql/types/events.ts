import { z } from 'zod';
import { chatStream, executionStream, StoredEvent } from '../../../domain/events';
import { parseInput } from '../../errors';
import { builder } from '../builder';

const AfterSeq = z.number().int().min(0).default(0);

const StreamEventRef = builder.objectRef<StoredEvent>('StreamEvent').implement({
  description: 'A stored event; `data` follows the event catalog (domain/events.ts).',
  fields: (t) => ({
    stream: t.exposeString('stream'),
    seq: t.exposeInt('seq'),
    data: t.field({ type: 'JSON', resolve: (e) => e.data }),
    created_at: t.exposeString('created_at'),
  }),
});

builder.subscriptionFields((t) => ({
  chat_events: t.field({
    type: StreamEventRef,
    description: 'Every stored chat event of the session with seq > after_seq, then live ones.',
    args: { session_id: t.arg.id({ required: true }), after_seq: t.arg.int() },
    subscribe: async (_, args, ctx) => {
      const session = await ctx.chat.requireSession(args.session_id);
      return ctx.deps.feed.subscribe(chatStream(session.id), parseInput(AfterSeq, args.after_seq ?? undefined), ctx.signal);
    },
    resolve: (event) => event,
  }),
  execution_events: t.field({
    type: StreamEventRef,
    description: 'Every stored execution event of the session with seq > after_seq, then live ones.',
    args: { session_id: t.arg.id({ required: true }), after_seq: t.arg.int() },
    subscribe: async (_, args, ctx) => {
      const session = await ctx.chat.requireSession(args.session_id);
      return ctx.deps.feed.subscribe(executionStream(session.id), parseInput(AfterSeq, args.after_seq ?? undefined), ctx.signal);
    },
    resolve: (event) => event,
  }),
}));
