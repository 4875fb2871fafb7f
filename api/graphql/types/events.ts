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

/** A session's stream: every stored event with seq > after_seq, then live ones. */
const sessionStream = (streamOf: (sessionId: string) => string, fieldName: string) =>
  builder.subscriptionField(fieldName, (t) =>
    t.field({
      type: StreamEventRef,
      description: `Every stored ${fieldName.split('_')[0]} event of the session with seq > after_seq, then live ones.`,
      args: { session_id: t.arg.id({ required: true }), after_seq: t.arg.int() },
      subscribe: async (_, args, ctx) => {
        const session = { id: await ctx.chat.requireSessionId(args.session_id) };
        return ctx.deps.feed.subscribe(streamOf(session.id), parseInput(AfterSeq, args.after_seq ?? undefined), ctx.signal);
      },
      resolve: (event) => event,
    }),
  );

sessionStream(chatStream, 'chat_events');
sessionStream(executionStream, 'execution_events');
