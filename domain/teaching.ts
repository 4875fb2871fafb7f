/**
 * Teaching from the console: a person marks an assistant answer right or wrong, and a wrong
 * mark says what was expected. The mark is a feedback record; a wrong one also becomes cases
 * of the taught suite of the component(s) that decided wrongly, which evolution reads as part
 * of that component's suite (evaluation/componentSuite.ts); evolution/taughtLessons.ts decides
 * what a mark teaches.
 */
import { z } from 'zod';
import { Expectation } from './suite';

const MAX_KEY_CONTENT_CHARS = 500;

export const FeedbackVerdict = z.enum(['right', 'wrong']);
export type FeedbackVerdict = z.infer<typeof FeedbackVerdict>;

const TaughtBy = z.string().trim().min(1).max(80).default('console');

export const FeedbackInput = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('right'), taught_by: TaughtBy }).strict(),
  z
    .object({
      verdict: z.literal('wrong'),
      /** The tool that should have served the request, or null: no tool. */
      expected_tool: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,100}$/, 'not a component name')
        .nullable(),
      /** What the right answer must contain (matched literally). */
      key_content: z.string().trim().min(1).max(MAX_KEY_CONTENT_CHARS).optional(),
      /** The request should have been declined (no tool, no invented answer). */
      should_decline: z.boolean().default(false),
      taught_by: TaughtBy,
    })
    .strict()
    .refine((f) => !(f.should_decline && f.expected_tool !== null), {
      message: 'a request that should be declined expects no tool (expected_tool: null)',
      path: ['expected_tool'],
    })
    .refine((f) => !(f.should_decline && f.key_content !== undefined), {
      message: 'a declined request has no key content',
      path: ['key_content'],
    }),
]);
export type FeedbackInput = z.infer<typeof FeedbackInput>;

export const TaughtSplit = z.enum(['train', 'held_out']);
export type TaughtSplit = z.infer<typeof TaughtSplit>;

/** Where a taught lesson came from and who taught it. */
const Provenance = {
  session_id: z.string(),
  message_id: z.string().describe('the assistant message that was marked'),
  turn_id: z.string(),
  taught_by: z.string(),
  created_at: z.string().describe('ISO 8601'),
};

export const FeedbackRecord = z.object({
  id: z.string(),
  ...Provenance,
  verdict: FeedbackVerdict,
  expected_tool: z.string().nullable(),
  key_content: z.string().nullable(),
  should_decline: z.boolean(),
  /** The taught cases this mark made (none for a right mark). */
  case_ids: z.array(z.string()),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

export const TaughtCase = z.object({
  /** A suite case id (domain/suite.ts), unique across suites. */
  id: z.string(),
  component: z.string(),
  split: TaughtSplit,
  /** The user message of the marked turn. */
  request: z.string(),
  /** Why this component owns the lesson, in words. */
  lesson: z.string(),
  input: z.unknown(),
  expect: Expectation,
  feedback_id: z.string(),
  ...Provenance,
});
export type TaughtCase = z.infer<typeof TaughtCase>;

export const FeedbackResult = z.object({ feedback: FeedbackRecord, cases: z.array(TaughtCase) });
export type FeedbackResult = z.infer<typeof FeedbackResult>;
