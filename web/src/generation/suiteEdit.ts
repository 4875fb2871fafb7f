/**
 * A person's edit of a generated suite: the JSON list of cases they typed, checked with the
 * schema the API checks it with, so a mistake is shown where it was typed, not as a refusal.
 */
import type { AcceptedCase } from '../../../domain/generation';
import { repeatedCaseId, SuiteCase } from '../../../domain/suite';

/** The suite as the editor shows it first: the proposed cases, one per line group. */
export const suiteText = (cases: readonly AcceptedCase[]) => JSON.stringify(cases, null, 2);

/** The cases the text holds, or what is wrong with it (the first problem). */
export function readSuiteEdit(text: string): { cases: AcceptedCase[] } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!Array.isArray(json)) return { error: 'the suite is a JSON list of cases: [ { "id", "input", "expect", "holdout" }, … ]' };
  if (json.length === 0) return { error: 'the suite needs at least one case' };
  const cases: AcceptedCase[] = [];
  for (const [i, raw] of json.entries()) {
    const parsed = SuiteCase.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { error: `case ${i + 1}: ${[...issue.path].join('.') || 'the case'}: ${issue.message}` };
    }
    cases.push({ id: parsed.data.id, input: parsed.data.input, expect: parsed.data.expect, holdout: parsed.data.holdout });
  }
  const repeated = repeatedCaseId(cases);
  return repeated === null ? { cases } : { error: `case id ${repeated} is used twice` };
}

/** Whether the person changed the suite (what the server records as `edited`). */
export const isEdited = (cases: readonly AcceptedCase[], proposed: readonly AcceptedCase[]) =>
  JSON.stringify(cases) !== JSON.stringify(proposed);
