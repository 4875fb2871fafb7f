/**
 * A component's test suite as a file holds it: the cases and what each expects. The
 * evaluator (evaluation/suite.ts) scores them; the console checks a person's edit of a
 * generated suite with the same schema the API does.
 */
import { z } from 'zod';
import { linearPatternProblem } from './linearPattern';

/** A regular expression matched in linear time: RE2 syntax, refused here when RE2 cannot compile it. */
const LinearPatternText = z.string().superRefine((pattern, ctx) => {
  const problem = linearPatternProblem(pattern);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

export const Expectation = z.union([
  z.object({ equals: z.unknown() }).strict(),
  z.object({ subset: z.record(z.string(), z.unknown()) }).strict(),
  /** Graded subset: score = the share of the named fields that equal; passed when all do. */
  z.object({ fields: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ path: z.string(), approx: z.number(), tolerance: z.number().nonnegative().default(1e-9) }).strict(),
  z.object({ error_matches: LinearPatternText }).strict(),
  /** The value at `path`, as text, matches the regular expression (answer checks). */
  z.object({ path: z.string(), matches: LinearPatternText }).strict(),
  /** Retrieval: score = 1/rank of the first result from `retrieves` (and `heading`), passed when rank ≤ within. */
  z.object({ retrieves: z.string(), heading: z.string().optional(), within: z.number().int().min(1).default(3) }).strict(),
]);
export type Expectation = z.infer<typeof Expectation>;

export const SuiteCase = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/),
  input: z.unknown(),
  expect: Expectation,
  /** Held-out cases decide the verdict; evolution's operator never selects on them. */
  holdout: z.boolean().default(false),
});
export type SuiteCase = z.infer<typeof SuiteCase>;

export const SuiteFile = z.object({
  component: z.string(),
  description: z.string().optional(),
  /** The host hands the docs corpus in as `input.documents` (as chat turns do). */
  with_corpus: z.boolean().default(false),
  cases: z.array(SuiteCase).min(1),
});
export type SuiteFile = z.infer<typeof SuiteFile>;

/** The first case id used twice, or null: a case id names one case. */
export function repeatedCaseId(cases: readonly { id: string }[]): string | null {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) return c.id;
    seen.add(c.id);
  }
  return null;
}
