import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SuiteFile } from '../domain/suite';
import { loadDocsCorpus } from '../registry/corpus';
import { runInSandbox } from '../sandbox/runInSandbox';

/**
 * Adds discriminating cases to the docs retriever's suite: three-word questions drawn from the
 * frozen corpus (datasets/corpus/), kept only when the shipped retriever ranks the section
 * that answers them 2nd to 4th. A case every version ranks first can never tell two versions
 * apart; these are where a change of ranking or top_k shows (see datasets/README.md, "Power").
 * Deterministic: the same corpus and suite give the same cases. Run once:
 *   node --no-node-snapshot --import tsx scripts/generateRetrieverCases.ts
 */
const ROOT = path.resolve(__dirname, '..');
const SUITE_FILE = path.join(ROOT, 'datasets', 'suites', 'docs_retriever.json');
const BENCH_FILE = path.join(ROOT, 'datasets', 'bench', 'docs_retriever-heldout.json');
const WANT_HELD_OUT = 220;
/** One new case in TRAIN_EVERY goes to training, so the operator has the same kind of signal to select on. */
const TRAIN_EVERY = 4;

const STOP = new Set(
  (
    'a an the and or but if then so of to in on at by for with from about as into than this that these those is are was were be been being ' +
    'am do does did have has had will would can could should shall may might must i me my we us our you your he him his she her it its they them their ' +
    'what which who whom whose when where why how not no also very there here each every one any all its only same more most such'
  ).split(' '),
);

/** Which words of a section a question takes, from a start word: three in a row, every other one, two in a row. */
const QUESTION_FORMS: [string, number[]][] = [
  ['t', [0, 1, 2]],
  ['s', [0, 2, 4]],
  ['p', [0, 1]],
];

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

/** Sections as the retriever splits them (headings outside code fences), with their content words. */
function sections(text: string): { heading: string; words: string[] }[] {
  const out: { heading: string; words: string[] }[] = [];
  let current = { heading: '', words: [] as string[] };
  let fenced = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const heading = fenced ? null : /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push(current);
      current = { heading: heading[1], words: [] };
      continue;
    }
    if (fenced) continue;
    for (const w of line.toLowerCase().match(/[a-z]+/g) ?? []) if (w.length >= 4 && !STOP.has(w)) current.words.push(w);
  }
  out.push(current);
  return out.filter((s) => s.heading && s.words.length >= 6);
}

async function main() {
  const corpus = await loadDocsCorpus(path.join(ROOT, 'datasets', 'corpus'));
  const suite = SuiteFile.parse(JSON.parse(readFileSync(SUITE_FILE, 'utf8')));
  const bench = SuiteFile.parse(JSON.parse(readFileSync(BENCH_FILE, 'utf8')));
  const known = new Set([...suite.cases, ...bench.cases].map((c) => (c.input as { query: string }).query));
  const code = readFileSync(path.join(ROOT, 'components', 'rag', 'docs_retriever.js'), 'utf8');
  const found: SuiteFile['cases'] = [];
  for (const doc of corpus) {
    for (const section of sections(doc.text)) {
      for (const [form, at] of QUESTION_FORMS)
        for (let i = 0; i + Math.max(...at) < section.words.length; i++) {
          const words = at.map((k) => section.words[i + k]);
          if (new Set(words).size < words.length) continue;
          const query = words.join(' ');
          if (known.has(query)) continue;
          known.add(query);
          const result = await runInSandbox({ code, input: { query, documents: corpus, top_k: 10 } });
          if (!result.ok) throw new Error(result.error);
          const results = (result.output as { results: { path: string; heading: string }[] }).results;
          const rank = results.findIndex((r) => r.path === doc.path && r.heading === section.heading) + 1;
          if (rank < 2 || rank > 4) continue;
          found.push({
            id: `${slug(doc.path.replace(/\.md$/, ''))}-${slug(section.heading)}-${form}${i}`,
            input: { query },
            expect: { retrieves: doc.path, heading: section.heading, within: 3 },
            holdout: true,
          });
        }
    }
  }
  // Spread the picks over the whole corpus rather than its first files.
  const stride = Math.max(1, found.length / ((WANT_HELD_OUT * TRAIN_EVERY) / (TRAIN_EVERY - 1)));
  const picked = Array.from(
    { length: Math.min(found.length, Math.floor(found.length / stride)) },
    (_, k) => found[Math.floor(k * stride)],
  );
  picked.forEach((c, k) => {
    c.holdout = k % TRAIN_EVERY !== 0;
  });
  const next = { ...suite, cases: [...suite.cases, ...picked] };
  writeFileSync(SUITE_FILE, `${JSON.stringify(next, null, 1)}\n`);
  console.log(
    `${found.length} questions ranked 2nd–4th; added ${picked.length} (${picked.filter((c) => c.holdout).length} held out)`,
  );
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
