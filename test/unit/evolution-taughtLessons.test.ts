import { scoreCase } from '../../evaluation/suite';
import type { SandboxResult } from '../../sandbox/contract';
import { FeedbackInput } from '../../domain/teaching';
import { HELD_OUT_SHARE, lessonsOf, taughtCaseId, taughtSplitOf } from '../../evolution/taughtLessons';

const calculatorStep = { component: 'calculator', args: { expression: '6*9' } };

describe('lessonsOf: who owns a wrong answer', () => {
  test('a missed tool is the analyser’s lesson, on the request as written', () => {
    expect(lessonsOf("what's 6 times 9", [], { expected_tool: 'calculator', should_decline: false })).toEqual([
      {
        component: 'intent_analyser',
        lesson: 'chose no tool; expected calculator',
        input: { content: "what's 6 times 9" },
        expect: { subset: { tools: ['calculator'] } },
      },
    ]);
  });

  test('a tool used for a request that should be declined: the analyser expects no tool', () => {
    const [lesson] = lessonsOf('6*9', [calculatorStep], { expected_tool: null, should_decline: true }) as any[];
    expect(lesson).toMatchObject({ component: 'intent_analyser', expect: { subset: { tools: [] } } });
    expect(lesson.lesson).toBe('chose calculator; expected no tool (decline)');
  });

  test('the right tool with a wrong answer is the tool’s lesson; key content is matched literally', () => {
    expect(
      lessonsOf('6*9', [calculatorStep], { expected_tool: 'calculator', key_content: '5.4 (x)', should_decline: false }),
    ).toEqual([
      {
        component: 'calculator',
        lesson: 'the answer should contain "5.4 (x)"',
        input: { expression: '6*9' },
        expect: { path: '', matches: '5\\.4 \\(x\\)' },
      },
    ]);
  });

  test('a wrong mark that names nothing wrong teaches nothing, and says why', () => {
    expect(lessonsOf('6*9', [calculatorStep], { expected_tool: 'calculator', should_decline: false })).toMatch(/key_content/);
    expect(lessonsOf('hello', [], { expected_tool: null, should_decline: true })).toMatch(/used no tool/);
  });
});

describe('taughtSplitOf', () => {
  test('is a pure function of the case id, and holds out about its share', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => taughtCaseId(`fb-${i.toString(16).padStart(16, '0')}`, 'intent_analyser'));
    expect(ids.map(taughtSplitOf)).toEqual(ids.map(taughtSplitOf));
    const share = ids.filter((id) => taughtSplitOf(id) === 'held_out').length / ids.length;
    expect(Math.abs(share - HELD_OUT_SHARE)).toBeLessThan(0.05);
  });
});

describe('FeedbackInput', () => {
  test.each([
    [{ verdict: 'wrong' }, /expected_tool/],
    [{ verdict: 'wrong', expected_tool: 'calculator', should_decline: true }, /expects no tool/],
    [{ verdict: 'wrong', expected_tool: null, should_decline: true, key_content: '4' }, /no key content/],
    [{ verdict: 'right', expected_tool: 'calculator' }, /expected_tool/],
    [{ verdict: 'maybe' }, /verdict|Invalid/],
  ])('refuses %j', (input, reason) => {
    const parsed = FeedbackInput.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(reason);
  });
});

describe('a taught answer check', () => {
  test('reads the whole output (the empty path) for the key content', () => {
    const [lesson] = lessonsOf('6*9', [calculatorStep], {
      expected_tool: 'calculator',
      key_content: '54',
      should_decline: false,
    }) as any[];
    const answer = (output: unknown) =>
      scoreCase(lesson.expect, { ok: true, output, durationMs: 1 } satisfies SandboxResult).passed;
    expect(answer({ expression: '6*9', result: 54 })).toBe(true);
    expect(answer({ expression: '6*9', result: 10 })).toBe(false);
  });
});
