/**
 * The offline structural operator: a component that keeps its phrase knowledge as data (a
 * LEXICON of plain JSON between `// LEXICON-BEGIN` and `// LEXICON-END`, as the analyser does)
 * learns a table entry from failing requests. What the lexicon cannot read in a request that
 * should reach the calculator is the difference between what it says and what it means: an
 * unknown word between two numbers is an operator word (which operator: the one whose result is
 * the answer the person expected, when they said it), unknown words before a sum are a way of
 * asking. Pure: the engine (proposalActivities) scores each edited file in the sandbox.
 */
import { seededRandom } from './seededRandom';
import { literalPattern } from './literalPattern';
import { numbersIn } from '../domain/statedNumbers';

const BEGIN = '// LEXICON-BEGIN';
const END = '// LEXICON-END';

/** The tables this operator reads and extends (the component may hold more). */
export interface Lexicon {
  asks: string[];
  phrase_rules: [string, string][];
  operator_words: [string, string][];
  number: string;
  unit: string;
}

/** A failing request and what its label expects. */
export interface FailingRequest {
  request: string;
  expected_tool: string | null;
  /** What the right answer contains, when the person said. */
  key_content: string | null;
}

/**
 * A suite case as a failing request, when it is a request with an expected tool choice (an
 * analyser case: `{ content }` expecting `tools`); null for any other case.
 */
export function failingRequestOf(
  testCase: { input: unknown; expect: unknown },
  keyContent: string | null,
): FailingRequest | null {
  const content = (testCase.input as { content?: unknown } | null)?.content;
  const tools = (testCase.expect as { subset?: { tools?: unknown } } | null)?.subset?.tools;
  if (typeof content !== 'string' || !Array.isArray(tools)) return null;
  const [tool] = tools as unknown[];
  return { request: content, expected_tool: typeof tool === 'string' ? tool : null, key_content: keyContent };
}

/** One entry added at the head of one table (so it is tried before the entries it refines). */
export type LexiconEdit =
  { table: 'operator_words'; entry: [string, string]; words: string } | { table: 'asks'; entry: string; words: string };

/** The LEXICON object of a component file, or null when it keeps none. */
export function readLexicon(code: string): Lexicon | null {
  const start = code.indexOf(BEGIN);
  const end = code.indexOf(END);
  if (start < 0 || end < start) return null;
  const body = code.slice(start + BEGIN.length, end);
  const json = /var\s+LEXICON\s*=\s*(\{[\s\S]*\})\s*;?\s*$/.exec(body.trim())?.[1];
  if (!json) return null;
  const parsed = JSON.parse(json) as Partial<Lexicon>;
  const tables = [parsed.asks, parsed.phrase_rules, parsed.operator_words];
  if (tables.some((t) => !Array.isArray(t)) || typeof parsed.number !== 'string' || typeof parsed.unit !== 'string') return null;
  return parsed as Lexicon;
}

/** The file with `edit` as the first entry of its table; every other byte stays (the diff is one line). */
export function writeLexiconEdit(code: string, edit: LexiconEdit): string {
  const start = code.indexOf(BEGIN);
  const end = code.indexOf(END);
  const head = new RegExp(`("${edit.table}"\\s*:\\s*\\[)(\\s*)`).exec(code.slice(start, end));
  if (start < 0 || !head) throw new Error(`the component's LEXICON has no "${edit.table}" table`);
  const at = start + head.index + head[1].length;
  const indent = head[2].includes('\n') ? head[2] : '\n    ';
  return `${code.slice(0, at)}${indent}${JSON.stringify(edit.entry)},${code.slice(at)}`;
}

const CALCULATOR = 'calculator';
const OPERATORS: [string, (a: number, b: number) => number][] = [
  ['*', (a, b) => a * b],
  ['+', (a, b) => a + b],
  ['-', (a, b) => a - b],
  ['/', (a, b) => a / b],
  ['^', (a, b) => a ** b],
];
const MATH_ONLY = /^[\d\s+\-*/^%().,]+$/;

const pattern = (lexicon: Lexicon, source: string, flags: string) =>
  new RegExp(source.replace(/\{n\}/g, lexicon.number).replace(/\{u\}/g, lexicon.unit), flags);

/** What is left of a request once the lexicon has read it: asks removed, known phrases and operator words rewritten. */
export function residualOf(lexicon: Lexicon, request: string): string {
  const body = lexicon.asks.reduce((t, ask) => t.replace(pattern(lexicon, ask, 'i'), '').trim(), request.trim());
  const rewrite = (text: string, rules: [string, string][]) =>
    rules.reduce((t, [source, replacement]) => t.replace(pattern(lexicon, source, 'gi'), replacement), text);
  return rewrite(rewrite(body, lexicon.phrase_rules), lexicon.operator_words).replace(/\s+/g, ' ').trim();
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

/** The operators "a ? b" could mean: the ones giving the expected answer, or all of them when none was said. */
function operatorsFor(a: number, b: number, keyContent: string | null): string[] {
  if (keyContent === null) return OPERATORS.map(([symbol]) => symbol);
  const expected = numbersIn(keyContent); // "54" and "the answer is 54." both say 54
  return OPERATORS.filter(([, apply]) => expected.some((n) => close(apply(a, b), n))).map(([symbol]) => symbol);
}

/** The edits one failing request suggests (none when the lexicon already reads it, or it is not the calculator's). */
export function editsFor(lexicon: Lexicon, failing: FailingRequest): LexiconEdit[] {
  if (failing.expected_tool !== CALCULATOR) return [];
  const residual = residualOf(lexicon, failing.request);
  const numberSource = lexicon.number;
  const infix = new RegExp(`^(${numberSource})\\s+([a-z][a-z' -]*?)\\s+(${numberSource})$`, 'i').exec(residual);
  if (infix) {
    const words = infix[2].toLowerCase();
    const source = `\\b${words.split(/\s+/).map(literalPattern).join('\\s+')}\\b`;
    return operatorsFor(Number(infix[1]), Number(infix[3]), failing.key_content).map((symbol): LexiconEdit => ({
      table: 'operator_words',
      entry: [source, symbol],
      words,
    }));
  }
  const asked = /^([a-z][a-z' ]*?)\s+(-?[\d(][\s\S]*)$/i.exec(residual);
  if (asked && MATH_ONLY.test(asked[2]) && /[+\-*/^%]/.test(asked[2])) {
    const words = asked[1].toLowerCase();
    return [{ table: 'asks', entry: `^${words.split(/\s+/).map(literalPattern).join('\\s+')}\\s+`, words }];
  }
  return [];
}

/**
 * Candidate edits from all failing requests, most supported first (an edit that many requests
 * suggest is a lesson, one that a single request suggests may be noise); ties in a seeded order,
 * so a seed names exactly one sequence. At most `count`.
 */
export function induceLexiconEdits(
  lexicon: Lexicon,
  failing: readonly FailingRequest[],
  seed: number,
  count: number,
): LexiconEdit[] {
  const support = new Map<string, { edit: LexiconEdit; votes: number }>();
  for (const f of failing) {
    for (const edit of editsFor(lexicon, f)) {
      const key = JSON.stringify([edit.table, edit.entry]);
      const seen = support.get(key);
      support.set(key, { edit, votes: (seen?.votes ?? 0) + 1 });
    }
  }
  const random = seededRandom(seed);
  return [...support.values()]
    .map((s) => ({ ...s, tie: random() }))
    .sort((a, b) => b.votes - a.votes || a.tie - b.tie)
    .slice(0, count)
    .map((s) => s.edit);
}

/** The edit in words, for the version's provenance and the evolution timeline. */
export const describeLexiconEdit = (edit: LexiconEdit): string =>
  edit.table === 'operator_words'
    ? `LEXICON.operator_words: "${edit.words}" means ${edit.entry[1]}`
    : `LEXICON.asks: "${edit.words}" only asks`;
