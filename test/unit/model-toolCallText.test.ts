import { toolCallsInText } from '../../model/localServer/toolCallText';

const offered = new Set(['calculator', 'unit_convert']);
const calc = { name: 'calculator', arguments: '{"expression":"17*3"}' };

describe('a reply that is nothing but tool calls is read as calls', () => {
  test.each([
    ['bare JSON', '{"name": "calculator", "arguments": {"expression": "17*3"}}'],
    ['bare JSON with surrounding whitespace', '\n  {"name":"calculator","arguments":{"expression":"17*3"}}  \n'],
    ['a ```json block', '```json\n{"name": "calculator", "arguments": {"expression": "17*3"}}\n```'],
    ['a plain ``` block', '```\n{"name": "calculator", "arguments": {"expression": "17*3"}}\n```'],
    ['<tool_call> tags', '<tool_call>\n{"name": "calculator", "arguments": {"expression": "17*3"}}\n</tool_call>'],
    [
      'an unclosed <tool_call> tag (generation stopped at the end tag)',
      '<tool_call>{"name": "calculator", "arguments": {"expression": "17*3"}}',
    ],
    ['"parameters" instead of "arguments"', '{"name": "calculator", "parameters": {"expression": "17*3"}}'],
    ['arguments as a JSON string', '{"name": "calculator", "arguments": "{\\"expression\\": \\"17*3\\"}"}'],
    [
      "OpenAI's own shape",
      '{"type": "function", "function": {"name": "calculator", "arguments": "{\\"expression\\":\\"17*3\\"}"}}',
    ],
  ])('%s', (_, reply) => {
    expect(toolCallsInText(reply, offered)).toEqual([calc]);
  });

  test('a list, or several tagged calls, are several calls in order', () => {
    const two = [calc, { name: 'unit_convert', arguments: '{"value":10,"from":"mi","to":"km"}' }];
    expect(
      toolCallsInText(
        '[{"name":"calculator","arguments":{"expression":"17*3"}},{"name":"unit_convert","arguments":{"value":10,"from":"mi","to":"km"}}]',
        offered,
      ),
    ).toEqual(two);
    expect(
      toolCallsInText(
        '<tool_call>{"name":"calculator","arguments":{"expression":"17*3"}}</tool_call>\n<tool_call>{"name":"unit_convert","arguments":{"value":10,"from":"mi","to":"km"}}</tool_call>',
        offered,
      ),
    ).toEqual(two);
  });

  test('missing arguments are an empty object', () => {
    expect(toolCallsInText('{"name": "calculator"}', offered)).toEqual([{ name: 'calculator', arguments: '{}' }]);
  });
});

describe('anything else is a text answer', () => {
  test.each([
    ['prose', '17 * 3 = 51'],
    ['prose around the JSON', 'I will call {"name": "calculator", "arguments": {"expression": "17*3"}} now'],
    ['a tool that was not offered', '{"name": "shell", "arguments": {"cmd": "rm -rf /"}}'],
    ['JSON that is not a call', '{"answer": 51}'],
    ['arguments that are not an object', '{"name": "calculator", "arguments": [1, 2]}'],
    ['arguments that are not JSON', '{"name": "calculator", "arguments": "17*3"}'],
    ['broken JSON', '{"name": "calculator", "arguments": {"expression": '],
    ['a list with one non-call', '[{"name":"calculator","arguments":{}}, 3]'],
    ['an empty list', '[]'],
    ['text beside a tagged call', 'Sure! <tool_call>{"name":"calculator","arguments":{}}</tool_call>'],
  ])('%s', (_, reply) => {
    expect(toolCallsInText(reply, offered)).toBeNull();
  });

  test('nothing is a call when no tool is offered', () => {
    expect(toolCallsInText('{"name": "calculator", "arguments": {}}', new Set())).toBeNull();
  });
});
