import type { PlannerFunction } from '../../domain/agent';
import type { StepOutcome } from '../../domain/plan';
import { groundAnswer } from '../../model/groundedAnswer';
import { numbersIn } from '../../domain/statedNumbers';
import { checkCall } from '../../model/toolCallCheck';

const calculatorOutcome = (expression: string, result: number): StepOutcome => ({
  stepId: 'step-1',
  kind: 'tool',
  component: 'calculator',
  ok: true,
  output: { expression, result },
  error: null,
});

const CALCULATOR: PlannerFunction = {
  name: 'calculator',
  description: 'arithmetic',
  parameters: {
    type: 'object',
    properties: { expression: { type: 'string', maxLength: 1000 } },
    required: ['expression'],
    additionalProperties: false,
  },
  step: { kind: 'tool', component: 'calculator' },
};

describe('numbersIn', () => {
  it('reads numbers as values, with thousands separators, decimals and exponents, and not inside words', () => {
    expect(numbersIn('6 x 9 = 54, or 1,500 and 110.231; 2.5e3 but not v2')).toEqual([6, 9, 54, 1500, 110.231, 2500]);
  });
});

describe('groundAnswer', () => {
  const grounding = { request: "what's 6 times 9", outcomes: [calculatorOutcome('6 * 9', 54)], template: '6 * 9 = 54' };

  it('replaces a reply that states a number no tool computed with the tools’ own results', () => {
    expect(groundAnswer('6 x 9 = 54 … six times nine is equal to 10', grounding)).toEqual({
      text: '6 * 9 = 54',
      unsupported: [10],
    });
    expect(groundAnswer('That makes 56.', grounding).text).toBe('6 * 9 = 54');
  });

  it('keeps a reply that states only numbers from the request and the tools', () => {
    expect(groundAnswer('Six times nine: 6 × 9 = 54.', grounding)).toEqual({
      text: 'Six times nine: 6 × 9 = 54.',
      unsupported: [],
    });
  });

  it('adds the tools’ results to a reply that leaves them out, and answers an empty reply with them', () => {
    expect(groundAnswer('Here you go!', grounding).text).toBe('Here you go!\n\n6 * 9 = 54');
    expect(groundAnswer('  ', grounding).text).toBe('6 * 9 = 54');
  });

  it('knows every number in a tool’s output, a conversion’s units included', () => {
    const outcome: StepOutcome = {
      ...calculatorOutcome('', 0),
      component: 'unit_convert',
      output: { value: 50, from: 'kg', to: 'lb', result: 110.231, formatted: '50 kg = 110.231 lb' },
    };
    const converted = { request: 'How many pounds is 50 kg?', outcomes: [outcome], template: '50 kg = 110.231 lb' };
    expect(groundAnswer('50 kg is about 110.231 pounds.', converted).unsupported).toEqual([]);
    expect(groundAnswer('50 kg is about 110 pounds.', converted).text).toBe('50 kg = 110.231 lb');
  });
});

describe('checkCall', () => {
  const call = (args: unknown) => ({ name: 'calculator', arguments: JSON.stringify(args) });

  it('takes a call that fits the schema and states only numbers the request does', () => {
    expect(checkCall(call({ expression: '9 * 6' }), CALCULATOR, "what's 6 times 9")).toEqual({
      ok: true,
      args: { expression: '9 * 6' },
    });
  });

  it('refuses arguments that are not JSON, do not fit the schema, or state numbers the request does not', () => {
    expect(checkCall({ name: 'calculator', arguments: '{"expression": ' }, CALCULATOR, '6 times 9')).toEqual({
      ok: false,
      problem: 'the arguments are not JSON',
    });
    expect(checkCall(call({ value: 6 }), CALCULATOR, '6 times 9')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^the arguments do not fit the schema: .*expression/),
    });
    expect(checkCall(call({ expression: '0.2 * 150' }), CALCULATOR, 'What is 20% of 150?')).toEqual({
      ok: false,
      problem: 'the arguments state 0.2, which the request does not',
    });
    expect(checkCall(call({ expression: 'sqrt(81)' }), CALCULATOR, 'the square root of 81')).toEqual({
      ok: false,
      problem: 'the arguments use sqrt, which the request does not',
    });
    const convert = { ...CALCULATOR, name: 'unit_convert', parameters: { type: 'object' } };
    const conversion = (args: unknown) => ({ name: 'unit_convert', arguments: JSON.stringify(args) });
    expect(checkCall(conversion({ value: 10, from: 'km', to: 'm' }), convert, 'convert 10 miles to km')).toEqual({
      ok: false,
      problem: 'the arguments use m, which the request does not',
    });
    expect(checkCall(conversion({ value: 10, from: 'mile', to: 'km' }), convert, 'convert 10 miles to km')).toMatchObject({
      ok: true,
    });
    expect(checkCall({ name: 'unit_convert', arguments: '{}' }, CALCULATOR, '6 times 9')).toMatchObject({ ok: false });
  });

  it('checks only the schema where no request grounds the call (the model’s own initiative)', () => {
    expect(checkCall(call({ expression: '17*3' }), CALCULATOR, null)).toMatchObject({ ok: true });
  });
});
