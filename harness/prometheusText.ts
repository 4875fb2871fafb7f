/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests and benchmarks: it
 * refuses what a Prometheus server would refuse (a sample before its family's TYPE, a bad
 * metric or label name, an unknown type, a malformed value or label set, a duplicate series),
 * and returns every sample with its labels.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** The series names a family of each type may hold. */
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${JSON.stringify(text)} in: ${line}`);
  return Number(text);
}

/** `{a="x",b="y\"z"}` → labels; the text after the closing brace is returned as `rest`. */
function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const name = /^[^=]*/.exec(text.slice(i))![0];
    if (!LABEL_NAME.test(name) || labels[name] !== undefined) throw new Error(`bad label name ${name} in: ${line}`);
    i += name.length;
    if (text.slice(i, i + 2) !== '="') throw new Error(`expected =" after ${name} in: ${line}`);
    i += 2;
    let value = '';
    for (; text[i] !== '"'; i++) {
      if (i >= text.length) throw new Error(`unterminated label value in: ${line}`);
      if (text[i] === '\\') {
        const escaped = text[++i];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else throw new Error(`bad escape \\${escaped} in: ${line}`);
      } else value += text[i];
    }
    labels[name] = value;
    i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const series = new Set<string>();
  let current: Family | null = null;
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      const [, keyword, name, rest] = comment;
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      const family: Family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`unknown type in: ${line}`);
        if (family.samples.length > 0) throw new Error(`TYPE after samples in: ${line}`);
        family.type = rest as Family['type'];
      } else family.help = rest;
      families.set(name, family);
      current = family;
      continue;
    }
    if (line.startsWith('#')) continue;
    const name = /^[^{ ]*/.exec(line)![0];
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
    const { labels, rest } =
      line[name.length] === '{' ? parseLabels(line.slice(name.length), line) : { labels: {}, rest: line.slice(name.length) };
    const fields = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2) throw new Error(`bad sample: ${line}`);
    if (!current || !SUFFIXES[current.type].some((suffix) => `${current!.name}${suffix}` === name))
      throw new Error(`sample outside its family (declare its TYPE first): ${line}`);
    if (current.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined)
      throw new Error(`bucket without le: ${line}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`duplicate series: ${line}`);
    series.add(key);
    current.samples.push({ name, labels, value: parseValue(fields[0], line) });
  }
  return families;
}

/** Every sample of `name` whose labels include `labels`. */
export const samplesOf = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): Sample[] =>
  [...families.values()]
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const matches = samplesOf(families, name, labels);
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0]?.value;
}

/** The sum of every sample of `name` whose labels include `labels`. */
export const sampleSum = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number =>
  samplesOf(families, name, labels).reduce((sum, s) => sum + s.value, 0);
