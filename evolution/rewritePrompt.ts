import type { ComponentManifest } from '../domain/manifest';

/**
 * What the model operator asks a model for, and how its reply is read: one prompt for the whole
 * component file (goal, failing training cases, current code), and a reply that counts only if
 * it holds a code block. The engine (proposeModelRewrite) and the efficacy bench both use these.
 */
export const REWRITE_SYSTEM =
  'You improve one JavaScript component file of the Evoscope agent system. Keep the same file format: ' +
  '`var component = { name, type, description, input_schema, tunables?, run: function (input, params) {...} }`, ' +
  'ES2020, no import/require, synchronous run returning JSON. Keep name and type unchanged. ' +
  'Reply with the whole new file in one ```js code block and nothing else.';

const DEFAULT_REWRITE_GOAL = 'make it pass more test cases, faster, with fewer errors';

/** At most this many failing cases go into the prompt. */
const FAILING_CASES_SHOWN = 10;
/** A case's input and expectation are cut to this many characters each in the prompt. */
const CASE_TEXT_CHARS = 300;

/** A failing training case; with its input and expectation, the model sees what was asked and what the label wants. */
export interface FailingCase {
  case_id: string;
  failure: string | null;
  input?: unknown;
  expect?: unknown;
}

const shown = (value: unknown) => JSON.stringify(value).slice(0, CASE_TEXT_CHARS);

function failingLine(c: FailingCase): string {
  const given = c.input === undefined ? '' : ` input ${shown(c.input)}`;
  const wanted = c.expect === undefined ? '' : ` expects ${shown(c.expect)}`;
  return `- ${c.case_id}:${given}${wanted}${given || wanted ? ' — ' : ' '}${c.failure}`;
}

export function rewriteUserMessage(code: string, failing: readonly FailingCase[], goal: string | null): string {
  const lines = failing.slice(0, FAILING_CASES_SHOWN).map(failingLine);
  return `Goal: ${goal ?? DEFAULT_REWRITE_GOAL}\n\nFailing cases:\n${lines.join('\n') || '(none)'}\n\nCurrent file:\n\`\`\`js\n${code}\n\`\`\``;
}

/** The first js code block of the reply ('' when there is none). */
export const codeBlockOf = (reply: string): string => /```(?:js|javascript)?\s*\n([\s\S]*?)```/.exec(reply)?.[1] ?? '';

/** Why a compiled rewrite cannot stand in for its base, or null when it can. */
export function rewriteMismatch(rewrite: ComponentManifest, base: ComponentManifest): string | null {
  return rewrite.name !== base.name || rewrite.type !== base.type ? 'the rewrite changed the component name or type' : null;
}
