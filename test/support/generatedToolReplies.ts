/**
 * What a model answers when asked to draft a tool (model/toolDraft.ts reads it): the
 * component in a ```js block and its suite in a ```json block. For scripting the fake OpenAI server.
 */

/** A text tool whose result is `body` (an expression over `input.text`). */
export const toolCode = (name: string, body: string) => `var component = {
  name: '${name}',
  type: 'tool',
  description: 'Transforms a text.',
  input_schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  run: function (input) {
    return { result: ${body} };
  },
};
`;
export const REVERSE = "input.text.split('').reverse().join('')";
export const UPPER = 'input.text.toUpperCase()';

/** Cases from [text, expected result] pairs; every third is held out. */
export const casesOf = (pairs: [string, string][]) =>
  pairs.map(([text, result], i) => ({ id: `c${i}`, input: { text }, expect: { equals: { result } }, holdout: i % 3 === 2 }));

/** A suite the reverse tool passes, and one the upper-case tool passes. */
export const REVERSE_CASES = casesOf([
  ['abc', 'cba'],
  ['', ''],
  ['ab', 'ba'],
  ['xyz', 'zyx'],
  ['aa', 'aa'],
  ['hello', 'olleh'],
]);
export const UPPER_CASES = casesOf([
  ['a', 'A'],
  ['b', 'B'],
  ['ab', 'AB'],
  ['x', 'X'],
  ['Q', 'Q'],
  ['', ''],
]);
/** What a person adds to the reverse tool's suite: a case the model did not think of. */
export const UNICODE_CASE = { id: 'unicode', input: { text: 'añb' }, expect: { equals: { result: 'bña' } }, holdout: true };

export const draftReply = (code: string, cases: unknown[]) =>
  `Here it is.\n\n\`\`\`js\n${code}\`\`\`\n\n\`\`\`json\n${JSON.stringify({ cases }, null, 1)}\n\`\`\`\n`;
