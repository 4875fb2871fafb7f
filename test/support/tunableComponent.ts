/**
 * A tool whose tunable `factor` defaults to a deliberately wrong value, and a suite that
 * wants factor 3: the offline operator has a real winner to find. For evolution tests.
 */
export const tunableComponent = (name: string, factor: number) => `var component = {
  name: '${name}',
  type: 'tool',
  description: 'Multiplies x by its factor.',
  input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
  tunables: {
    factor: { default: ${factor}, min: 1, max: 3, step: 2 },
  },
  run: function (input, params) {
    return { result: input.x * params.factor };
  },
};
`;

/** 18 cases (8 held out) that pass only with factor 3. */
export const suiteFor = (name: string) => ({
  component: name,
  cases: Array.from({ length: 18 }, (_, i) => ({ id: `x${i}`, input: { x: i + 1 }, expect: { path: 'result', approx: (i + 1) * 3 }, holdout: i >= 10 })),
});
