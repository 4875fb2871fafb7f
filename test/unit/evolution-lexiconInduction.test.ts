import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  editsFor,
  failingRequestOf,
  induceLexiconEdits,
  readLexicon,
  residualOf,
  writeLexiconEdit,
  type FailingRequest,
} from '../../evolution/lexiconInduction';
import { runInSandbox } from '../../sandbox/runInSandbox';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { COMPONENTS_DIR } from './componentRunner';

afterAll(() => sandboxPool.close());

const ANALYSER = readFileSync(path.join(COMPONENTS_DIR, 'agent', 'intent_analyser.js'), 'utf8');
const lexicon = readLexicon(ANALYSER)!;
const taught = (request: string, key_content: string | null = null): FailingRequest => ({
  request,
  expected_tool: 'calculator',
  key_content,
});

async function analyse(code: string, content: string) {
  const result = await runInSandbox({ code, input: { content }, params: { docs_threshold: 1, long_threshold: 1 } });
  if (!result.ok) throw new Error(`${result.failure}: ${result.error}`);
  return result.output as { tools: string[]; requests: { entities: { expression?: string } }[] };
}

test('the shipped analyser keeps its phrase tables as a LEXICON this operator can read', () => {
  expect(lexicon.operator_words.length).toBeGreaterThan(5);
  expect(residualOf(lexicon, "what's 6 times 9")).toBe('6 * 9');
  expect(residualOf(lexicon, 'what is 6 into 9?')).toBe('6 into 9');
});

test('an unknown word between two numbers becomes the operator whose result the person expected', () => {
  expect(editsFor(lexicon, taught('what is 6 into 9?', '54'))).toEqual([
    { table: 'operator_words', entry: ['\\binto\\b', '*'], words: 'into' },
  ]);
  expect(editsFor(lexicon, taught('12 less 5', 'it is 7'))).toEqual([
    { table: 'operator_words', entry: ['\\bless\\b', '-'], words: 'less' },
  ]);
  // Without the answer, every operator is a candidate; the training cases choose.
  expect(editsFor(lexicon, taught('12 frob 5')).map((e) => e.entry[1])).toEqual(['*', '+', '-', '/', '^']);
  // Requests the lexicon reads already, and lessons for other tools, teach it nothing.
  expect(editsFor(lexicon, taught("what's 6 times 9", '54'))).toEqual([]);
  expect(editsFor(lexicon, { request: '6 into 9', expected_tool: 'unit_convert', key_content: null })).toEqual([]);
});

test('unknown words before a sum are a way of asking', () => {
  expect(editsFor(lexicon, taught('reckon 6 times 9', '54'))).toEqual([{ table: 'asks', entry: '^reckon\\s+', words: 'reckon' }]);
});

test('the most supported edit comes first, and a seed names one order', () => {
  const failing = [taught('6 into 9', '54'), taught('7 into 3', '21'), taught('2 frob 2')];
  const edits = induceLexiconEdits(lexicon, failing, 3, 10);
  expect(edits[0]).toEqual({ table: 'operator_words', entry: ['\\binto\\b', '*'], words: 'into' });
  expect(edits).toHaveLength(6);
  expect(induceLexiconEdits(lexicon, failing, 3, 10)).toEqual(edits);
  expect(induceLexiconEdits(lexicon, failing, 3, 2)).toEqual(edits.slice(0, 2));
});

test('the edited file changes one line, and the analyser then reads requests nobody taught', async () => {
  const [edit] = induceLexiconEdits(lexicon, [taught('what is 6 into 9?', '54')], 1, 1);
  const code = writeLexiconEdit(ANALYSER, edit);
  const added = code.split('\n').filter((line) => !ANALYSER.split('\n').includes(line));
  expect(added).toEqual(['    ["\\\\binto\\\\b","*"],']);
  expect(readLexicon(code)!.operator_words[0]).toEqual(['\\binto\\b', '*']);

  expect((await analyse(ANALYSER, 'what is 7 into 8')).tools).toEqual([]);
  const after = await analyse(code, 'what is 7 into 8');
  expect(after.tools).toEqual(['calculator']);
  expect(after.requests[0].entities.expression).toBe('7 * 8');
  // A conversion that says "into" is still a conversion.
  expect((await analyse(code, 'convert 5 miles into km')).tools).toEqual(['unit_convert']);
});

test('a file without a LEXICON is not read, and an edit to a missing table is refused', () => {
  expect(readLexicon("var component = { name: 'x' };")).toBeNull();
  expect(() => writeLexiconEdit("var component = { name: 'x' };", { table: 'asks', entry: '^x\\s+', words: 'x' })).toThrow(
    /no "asks" table/,
  );
});

test('an analyser case reads as a failing request; other cases do not', () => {
  const analyserCase = { input: { content: '6 into 9' }, expect: { subset: { tools: ['calculator'] } } };
  expect(failingRequestOf(analyserCase, '54')).toEqual({ request: '6 into 9', expected_tool: 'calculator', key_content: '54' });
  expect(failingRequestOf({ ...analyserCase, expect: { subset: { tools: [] } } }, null)).toMatchObject({ expected_tool: null });
  expect(failingRequestOf({ input: { x: 1 }, expect: { path: 'result', approx: 3, tolerance: 0 } }, null)).toBeNull();
});
