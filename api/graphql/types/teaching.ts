import { FeedbackRecord, TaughtCase, type FeedbackResult } from '../../../domain/teaching';
import { builder } from '../builder';
import { listPageArgs } from '../listPageArgs';
import { withoutNulls } from '../withoutNulls';
import { zodFields } from '../zodFields';

/** Marking answers right or wrong, and the taught cases wrong marks make. */
const FeedbackRef = builder.objectRef<FeedbackRecord>('AnswerFeedback').implement({
  description: 'A right or wrong mark of an assistant answer; a wrong one lists the taught cases it made.',
  fields: (t) => zodFields(t, FeedbackRecord),
});

const TaughtCaseRef = builder.objectRef<TaughtCase>('TaughtCase').implement({
  description:
    "A case of a component's taught suite: the request, what it expects, its split, who taught it and from which turn.",
  fields: (t) => zodFields(t, TaughtCase),
});

const MarkResultRef = builder.objectRef<FeedbackResult>('AnswerMarkResult').implement({
  fields: (t) => ({
    feedback: t.field({ type: FeedbackRef, resolve: (r) => r.feedback }),
    cases: t.field({ type: [TaughtCaseRef], resolve: (r) => r.cases }),
  }),
});

const AnswerMarkInput = builder.inputType('AnswerMarkInput', {
  fields: (t) => ({
    verdict: t.string({ required: true, description: '"right" or "wrong"' }),
    expected_tool: t.string({ description: 'Wrong marks: the tool that should have served the request; null or absent: none.' }),
    key_content: t.string({ description: 'Wrong marks: what the right answer contains.' }),
    should_decline: t.boolean({ description: 'Wrong marks: the request should have been declined.' }),
    taught_by: t.string({ description: 'Who marked it (default "console").' }),
  }),
});

builder.queryFields((t) => ({
  taught_cases: t.field({
    type: [TaughtCaseRef],
    description: 'The taught cases that are part of a suite (the newest lesson per answer and component), oldest first.',
    args: listPageArgs('Taught cases', 500, 'the id of the last taught case of this one.'),
    resolve: (_, a, ctx) => ctx.teaching.taughtCases(a.limit, a.after),
  }),
}));

builder.mutationFields((t) => ({
  mark_answer: t.field({
    type: MarkResultRef,
    description: 'Mark an assistant answer right or wrong; a wrong mark teaches the components that decided wrongly.',
    args: {
      session_id: t.arg.id({ required: true }),
      message_id: t.arg.id({ required: true }),
      input: t.arg({ type: AnswerMarkInput, required: true }),
    },
    resolve: (_, a, ctx) => {
      const mark = withoutNulls(a.input);
      // GraphQL cannot tell null from absent here: a wrong mark without a tool expects none.
      const expected = mark.verdict === 'wrong' ? { expected_tool: a.input.expected_tool ?? null } : {};
      return ctx.teaching.markAnswer(a.session_id, a.message_id, { ...mark, ...expected });
    },
  }),
}));
