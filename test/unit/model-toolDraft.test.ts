import { readToolDraftReply, toolDraftUserMessage } from '../../model/toolDraft';

test('the request is put to the model as "Write a tool that …", with the chat requests it should serve', () => {
  expect(toolDraftUserMessage('make a tool that reverses text', [])).toBe('Write a tool that reverses text');
  expect(toolDraftUserMessage('Create me a tool that counts words', ['how many words in "a b"'])).toBe(
    'Write a tool that counts words\n\nRequests it should serve (from the chat):\n- how many words in "a b"',
  );
  expect(toolDraftUserMessage('converts roman numerals', [])).toBe('Write a tool that converts roman numerals');
});

test('a reply gives the file from its ```js block and the suite from its ```json block', () => {
  const reply = 'Sure.\n```js\nvar component = {};\n```\nAnd the tests:\n```json\n{"cases": []}\n```\n';
  expect(readToolDraftReply(reply)).toEqual({ ok: true, code: 'var component = {};\n', suiteText: '{"cases": []}\n' });
});

test.each([
  ['no blocks at all', 'I would write a function.', 'the model returned no ```js block with the component'],
  ['only the file', '```javascript\nvar component = {};\n```', 'the model returned no ```json block with the test suite'],
  ['only the suite', '```json\n{"cases": []}\n```', 'the model returned no ```js block with the component'],
  ['an empty file block', '```js\n\n```\n```json\n{}\n```', 'the model returned no ```js block with the component'],
])('a reply with %s is refused with the reason', (_, reply, reason) => {
  expect(readToolDraftReply(reply)).toEqual({ ok: false, reason });
});
