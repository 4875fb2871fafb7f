import { scoreCase } from '../../evaluation/suite';
import type { SandboxResult } from '../../sandbox/contract';
import { FeedbackInput } from '../../domain/teaching';
import { HELD_OUT_SHARE, lessonsOf, taughtCaseId, taughtSplitOf } from '../../evolution/taughtLessons';

const calculatorStep = { component: 'calculator', args: { expression: '6*9' } };
const PLANNER_INPUT = { op: 'plan', requests: [], tools: [], next_step: 1 };
/** A marked turn: what the analysis named and the steps that served it. */
const turn = (
  request: string,
  served: { component: string; args: Record<string, unknown> }[],
  analysed: (string | null)[] = [],
) => ({
  request,
  served,
  analysed,
  plannerInput: PLANNER_INPUT,
});

describe('lessonsOf: who owns a wrong answer', () => {
  test('a missed tool is the analyser’s lesson, on the request as written', () => {
    expect(lessonsOf(turn("what's 6 times 9", []), { expected_tool: 'calculator', should_decline: false })).toEqual([
      {
        component: 'intent_analyser',
        lesson: 'chose no tool; expected calculator',
        input: { content: "what's 6 times 9" },
        expect: { subset: { tools: ['calculator'] } },
      },
    ]);
  });

  test('a tool used for a request that should be declined: the analyser expects no tool', () => {
    const [lesson] = lessonsOf(turn('6*9', [calculatorStep]), { expected_tool: null, should_decline: true }) as any[];
    expect(lesson).toMatchObject({ component: 'intent_analyser', expect: { subset: { tools: [] } } });
    expect(lesson.lesson).toBe('chose calculator; expected no tool (decline)');
  });

  test('a tool the analysis named but the plan left out is the planner’s lesson, on its input', () => {
    const [lesson] = lessonsOf(turn('convert 5 km to miles', [], ['unit_convert']), {
      expected_tool: 'unit_convert',
      should_decline: false,
    }) as any[];
    expect(lesson).toEqual({
      component: 'planner',
      lesson: 'planned no tool although the analysis named unit_convert',
      input: PLANNER_INPUT,
      expect: { path: 'steps', matches: '"component":"unit_convert"' },
    });
    const planned = (steps: unknown) => scoreCase(lesson.expect, { ok: true, output: { steps }, durationMs: 1 }).passed;
    expect(planned([{ id: 'step-1', kind: 'tool', component: 'unit_convert', args: {} }])).toBe(true);
    expect(planned([])).toBe(false);
  });

  test('the right tool with a wrong answer is the tool’s lesson; key content is matched literally', () => {
    expect(
      lessonsOf(turn('6*9', [calculatorStep]), { expected_tool: 'calculator', key_content: '5.4 (x)', should_decline: false }),
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
    expect(lessonsOf(turn('6*9', [calculatorStep]), { expected_tool: 'calculator', should_decline: false })).toMatch(
      /key_content/,
    );
    expect(lessonsOf(turn('hello', []), { expected_tool: null, should_decline: true })).toMatch(/used no tool/);
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
    const [lesson] = lessonsOf(turn('6*9', [calculatorStep]), {
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
