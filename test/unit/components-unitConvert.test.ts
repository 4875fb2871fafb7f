import { sandboxPool } from '../../sandbox/sandboxPool';
import { componentRunner } from './componentRunner';

afterAll(() => sandboxPool.close());

const convert = componentRunner('tools/unit_convert.js');

describe('unit_convert component', () => {
  it.each([
    [10, 'km', 'miles', 6.21371],
    [1, 'mi', 'kilometers', 1.60934],
    [12, 'inches', 'ft', 1],
    [3, 'feet', 'cm', 91.44],
    [1, 'kg', 'lb', 2.20462],
    [16, 'ounces', 'pounds', 1],
    [1, 'gallon', 'liters', 3.78541],
    [500, 'ml', 'cups', 2.11338],
    [90, 'minutes', 'hours', 1.5],
    [2, 'weeks', 'days', 14],
    [100, 'km/h', 'mph', 62.1371],
    [10, 'm/s', 'kph', 36],
    [1, 'GiB', 'MB', 1073.74],
    [100, 'Mb', 'MB', 12.5],
    [2048, 'kilobytes', 'MB', 2.048],
    [100, 'C', 'F', 212],
    [32, '°F', 'celsius', 0],
    [0, 'K', 'C', -273.15],
    [98.6, 'degrees fahrenheit', 'degrees celsius', 37],
  ])('%p %s → %s', async (value, from, to, expected) => {
    const out = await convert({ value, from, to });
    expect(out.result).toBeCloseTo(expected, 2);
  });

  it('returns canonical symbols and a formatted line', async () => {
    expect(await convert({ value: 5, from: 'kilometres', to: 'miles' })).toEqual({
      value: 5,
      from: 'km',
      to: 'mi',
      result: 3.10686,
      formatted: '5 km = 3.10686 mi',
    });
  });

  it('rejects incompatible, unknown and impossible conversions', async () => {
    await expect(convert({ value: 1, from: 'kg', to: 'km' })).rejects.toThrow(/Cannot convert mass \(kg\) to length \(km\)/);
    await expect(convert({ value: 1, from: 'furlongs', to: 'km' })).rejects.toThrow(/Unknown unit 'furlongs'/);
    await expect(convert({ value: -300, from: 'C', to: 'K' })).rejects.toThrow(/below absolute zero/);
    await expect(convert({ value: '5', from: 'km', to: 'mi' })).rejects.toThrow(/finite value/);
  });
});
