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
  cases: Array.from({ length: 18 }, (_, i) => ({
    id: `x${i}`,
    input: { x: i + 1 },
    expect: { path: 'result', approx: (i + 1) * 3 },
    holdout: i >= 10,
  })),
});

/**
 * A tool whose tunable `reach` moves the wanted result up its ranking (rank 10 − reach): scored
 * 1/rank, every step of reach is a small, real, graded gain (1/9 → 1/8 → 1/7).
 */
export const ladderComponent = (reach: number) => `var component = {
  name: 'ladder',
  type: 'tool',
  description: 'Ranks nine results; reach moves the wanted one up.',
  input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
  tunables: {
    reach: { default: ${reach}, min: 1, max: 9, step: 1 },
  },
  run: function (input, params) {
    var results = [];
    for (var i = 1; i <= 8; i++) results.push({ path: 'other-' + i + '-' + input.x });
    results.splice(9 - params.reach, 0, { path: 'wanted' });
    return { results: results };
  },
};
`;

/** 18 cases (8 held out), each scored 1/rank of the wanted result. */
export const ladderSuite = () => ({
  component: 'ladder',
  cases: Array.from({ length: 18 }, (_, i) => ({
    id: `r${i}`,
    input: { x: i + 1 },
    expect: { retrieves: 'wanted', within: 9 },
    holdout: i >= 10,
  })),
});
