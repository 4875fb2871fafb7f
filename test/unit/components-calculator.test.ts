import { sandboxPool } from '../../sandbox/sandboxPool';
import { componentRunner } from './componentRunner';

afterAll(() => sandboxPool.close());

const calculate = componentRunner('tools/calculator.js');
const resultOf = async (expression: string) => (await calculate({ expression })).result;

describe('calculator component', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['64 / 4 / 2', 8],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 3', 8],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['7 % 4 * 2', 6],
    ['.5 + 1.25', 1.75],
    ['1e3 / 4', 250],
    ['0.1 + 0.2', 0.3],
    ['sqrt(16) + abs(-3)', 7],
    ['round(2.5) + floor(2.7) + ceil(2.1)', 8],
    ['max(1, 7, 3) - min(4, 2)', 5],
    ['log(1000)', 3],
    ['ln(e)', 1],
    ['PI', 3.14159265359],
    ['sin(pi / 2) + cos(0) + tan(0)', 2],
    ['2 × 3 ÷ 4', 1.5],
  ])('%s = %p', async (expression, expected) => {
    expect(await resultOf(expression)).toBeCloseTo(expected, 10);
  });

  it('echoes the expression and honours the precision tunable', async () => {
    expect(await calculate({ expression: '2/3' }, { precision: 3 })).toEqual({ expression: '2/3', result: 0.667 });
  });

  it.each([
    ['1 / 0', /Division by zero/],
    ['5 % (2 - 2)', /Division by zero/],
    ['2 +', /Unexpected end of expression/],
    ['(1 + 2', /Unexpected end of expression/],
    ['1 + 2)', /Unexpected '\)' at position 6/],
    ['2 $ 3', /Unexpected character '\$' at position 3/],
    ['foo(2)', /Unknown name 'foo'/],
    ['sqrt 4', /sqrt is a function/],
    ['sqrt(-1)', /negative number/],
    ['log(0)', /positive numbers/],
    ['max()', /Unexpected '\)'/],
    ['sqrt(1, 2)', /takes 1 argument/],
    ['10 ^ 400', /too large/],
    ['', /non-empty expression/],
  ])('rejects %p', async (expression, message) => {
    await expect(calculate({ expression })).rejects.toThrow(message);
  });

  it('does not evaluate JavaScript', async () => {
    await expect(calculate({ expression: 'constructor(1)' })).rejects.toThrow(/Unknown name 'constructor'/);
  });
});
