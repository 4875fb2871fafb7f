import type { AcceptedCase } from '../domain/generation';
import type { ComponentManifest } from '../domain/manifest';
import { repeatedCaseId, SuiteFile } from '../domain/suite';

/**
 * What a model's draft of a new tool must be before it is recorded as a draft: a tool, named in
 * snake_case, with a suite the suite schema reads and no case id twice. Pure, so each refusal is
 * tabled in tests; the drafting activity compiles the file, checks the name is free, and records.
 */

const TOOL_NAME = /^[a-z][a-z0-9_]{1,47}$/;

/** Why the compiled draft cannot be a generated tool, or null when it can. */
export function draftManifestRefusal(manifest: Pick<ComponentManifest, 'type' | 'name'>): string | null {
  if (manifest.type !== 'tool') return `the draft is a ${manifest.type}, not a tool`;
  if (!TOOL_NAME.test(manifest.name)) return `the draft's name ${JSON.stringify(manifest.name)} is not snake_case`;
  return null;
}

/** The drafted suite's cases as the schema reads them (for the tool `name`), or why they are not a suite. */
export function parseDraftedSuite(name: string, suiteText: string): AcceptedCase[] | string {
  let json: unknown;
  try {
    json = JSON.parse(suiteText);
  } catch (err) {
    return `the suite is not JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  const parsed = SuiteFile.safeParse({ ...(typeof json === 'object' && json !== null ? json : {}), component: name });
  if (!parsed.success) return `the suite is invalid: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`;
  if (repeatedCaseId(parsed.data.cases) !== null) return 'the suite uses a case id twice';
  return parsed.data.cases.map((c) => ({ id: c.id, input: c.input, expect: c.expect, holdout: c.holdout }));
}
