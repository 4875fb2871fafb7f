import { parsePrometheusText, sampleValue } from '../../harness/prometheusText';

/** The test parser is strict: what it accepts in the metrics test, a Prometheus server would too. */
test('reads families, labels with escapes, and special values', () => {
  const families = parsePrometheusText(
    [
      '# HELP a_total A counter.',
      '# TYPE a_total counter',
      'a_total{kind="x\\"y\\\\z\\n"} 3',
      '# TYPE h_seconds histogram',
      'h_seconds_bucket{le="0.5"} 1',
      'h_seconds_bucket{le="+Inf"} 2',
      'h_seconds_sum 1.5e0',
      'h_seconds_count 2',
      '',
    ].join('\n'),
  );
  expect(families.get('a_total')).toMatchObject({ type: 'counter', help: 'A counter.' });
  expect(sampleValue(families, 'a_total', { kind: 'x"y\\z\n' })).toBe(3);
  expect(sampleValue(families, 'h_seconds_bucket', { le: '+Inf' })).toBe(2);
  expect(sampleValue(families, 'h_seconds_sum')).toBe(1.5);
});

test.each([
  ['a sample before its TYPE', 'a_total 1\n'],
  ['a sample of another family', '# TYPE a_total counter\nb_total 1\n'],
  ['a bad value', '# TYPE a gauge\na one\n'],
  ['an unknown type', '# TYPE a meter\n'],
  ['an unterminated label', '# TYPE a gauge\na{x="1} 1\n'],
  ['a duplicate series', '# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'],
  ['a bucket without le', '# TYPE h histogram\nh_bucket 1\n'],
  ['no final newline', '# TYPE a gauge\na 1'],
])('refuses %s', (_what, text) => {
  expect(() => parsePrometheusText(text)).toThrow();
});
