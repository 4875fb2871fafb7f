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

export const draftReply = (code: string, cases: unknown[]) =>
  `Here it is.\n\n\`\`\`js\n${code}\`\`\`\n\n\`\`\`json\n${JSON.stringify({ cases }, null, 1)}\n\`\`\`\n`;
