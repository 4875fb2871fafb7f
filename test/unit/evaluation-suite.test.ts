import { Expectation } from '../../domain/suite';
import { scoreCase } from '../../evaluation/suite';
import { codeBlockOf, rewriteMismatch, rewriteUserMessage } from '../../evolution/rewritePrompt';
import type { ComponentManifest } from '../../domain/manifest';

const ok = (output: unknown) => ({ ok: true as const, output, durationMs: 1 });
const reading = { intent: { intent: 'docs_question' }, requests: [{ tool: 'docs_retriever', entities: { query: 'x' } }] };

describe('graded expectation (fields)', () => {
  const expect3 = Expectation.parse({
    fields: { 'intent.intent': 'docs_question', 'requests.0.tool': 'docs_retriever', 'requests.0.entities.query': 'y' },
  });

  it('scores the share of the named fields that equal, and passes only when all do', () => {
    const scored = scoreCase(expect3, ok(reading));
    expect(scored.score).toBeCloseTo(2 / 3);
    expect(scored.passed).toBe(false);
    expect(scored.failure).toBe('fields differ: requests.0.entities.query');
    const all = scoreCase(Expectation.parse({ fields: { 'intent.intent': 'docs_question', 'requests.length': 1 } }), ok(reading));
    expect(all).toEqual({ score: 1, passed: true, failure: null });
  });

  it('keeps subset all-or-nothing, and a failed run scores 0 either way', () => {
    const subset = Expectation.parse({ subset: { 'intent.intent': 'docs_question', 'requests.0.tool': 'calculator' } });
    expect(scoreCase(subset, ok(reading)).score).toBe(0);
    const failed = { ok: false as const, failure: 'error' as const, error: 'boom', durationMs: 1 };
    expect(scoreCase(expect3, failed).score).toBe(0);
  });
});

describe('rewrite prompt', () => {
  const manifest = (name: string, type: string) => ({ name, type }) as ComponentManifest;

  it('reads the first js code block of a reply, and nothing from a reply without one', () => {
    expect(codeBlockOf('Here:\n```js\nvar component = {};\n```\nand ```js\nother\n```')).toBe('var component = {};\n');
    expect(codeBlockOf('```javascript\nx\n```')).toBe('x\n');
    expect(codeBlockOf('```js\nnever closed')).toBe('');
  });

  it('lists at most ten failing cases, says (none) when none fail, and keeps the goal', () => {
    const failing = Array.from({ length: 12 }, (_, i) => ({ case_id: `c${i}`, failure: 'wrong' }));
    const text = rewriteUserMessage('CODE', failing, 'be right');
    expect(text).toMatch(/^Goal: be right/);
    expect(text.match(/^- c\d+: wrong$/gm)).toHaveLength(10);
    expect(text).toContain('```js\nCODE\n```');
    expect(rewriteUserMessage('CODE', [], null)).toContain('Failing cases:\n(none)');
  });

  it("shows a failing case's input and expectation (a taught request and its label) when it has them", () => {
    const taught = {
      case_id: 'taught-fb-1-intent_analyser',
      failure: 'tools: expected ["calculator"], got []',
      input: { content: 'what is 6 into 9' },
      expect: { subset: { tools: ['calculator'] } },
    };
    expect(rewriteUserMessage('CODE', [taught], null)).toContain(
      '- taught-fb-1-intent_analyser: input {"content":"what is 6 into 9"} expects {"subset":{"tools":["calculator"]}} — tools: expected ["calculator"], got []',
    );
  });

  it('refuses a rewrite that renames the component or changes its type', () => {
    expect(rewriteMismatch(manifest('planner', 'chain'), manifest('planner', 'chain'))).toBeNull();
    expect(rewriteMismatch(manifest('planner2', 'chain'), manifest('planner', 'chain'))).toMatch(/name or type/);
    expect(rewriteMismatch(manifest('planner', 'tool'), manifest('planner', 'chain'))).toMatch(/name or type/);
  });
});
