/**
 * Asking a model for a new tool: the prompt (the component file contract and a test suite
 * of graded cases) and the reading of its reply into the file and the suite's text. What
 * the reply must then pass (compiling, a valid suite, the sandbox) is the caller's to check.
 */

export const TOOL_DRAFT_SYSTEM = [
  'You write one new tool component for the Evoscope agent system, and a test suite for it.',
  "The component is one JavaScript file: `var component = { name, type: 'tool', description, input_schema, run: function (input) {...} };`",
  '— name in snake_case, input_schema a JSON Schema object, ES2020, no import/require, no network, a synchronous run returning a JSON object.',
  'The suite is JSON: {"cases": [{"id": "c1", "input": {...}, "expect": {"equals": {...}} or {"path": "result", "approx": 1.5} or {"subset": {...}}, "holdout": false}, ...]}',
  'with at least 6 cases, a third of them "holdout": true.',
  'Reply with the file in one ```js block, then the suite in one ```json block, and nothing else.',
].join('\n');

export function toolDraftUserMessage(request: string, examples: string[]): string {
  const seen =
    examples.length > 0 ? `\n\nRequests it should serve (from the chat):\n${examples.map((e) => `- ${e}`).join('\n')}` : '';
  return `Write a tool that ${request.replace(/^\s*(make|write|create|build)\s+(me\s+)?a\s+tool\s+that\s+/i, '')}${seen}`;
}

export type ToolDraftReply = { ok: true; code: string; suiteText: string } | { ok: false; reason: string };

const JS_BLOCK = /```(?:js|javascript)\s*\n([\s\S]*?)```/;
const JSON_BLOCK = /```json\s*\n([\s\S]*?)```/;

export function readToolDraftReply(reply: string): ToolDraftReply {
  const code = JS_BLOCK.exec(reply)?.[1] ?? '';
  const suiteText = JSON_BLOCK.exec(reply)?.[1] ?? '';
  if (!code.trim()) return { ok: false, reason: 'the model returned no ```js block with the component' };
  if (!suiteText.trim()) return { ok: false, reason: 'the model returned no ```json block with the test suite' };
  return { ok: true, code, suiteText };
}
