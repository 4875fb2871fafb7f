import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SuiteFile } from '../../domain/suite';
import type { LoadedSuite } from '../../evaluation/suite';
import { loadDocsCorpus, type CorpusDocument } from '../../registry/corpus';

/**
 * What the efficacy bench reads, all pinned under datasets/: the frozen corpus (checked against
 * its SHA256SUMS, so editing docs/ cannot move a figure) and, per component, a held-out question
 * set the evolution loop never sees (datasets/bench/<component>-heldout.json).
 */
export const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS_DIR = path.join(ROOT, 'datasets', 'corpus');
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The frozen corpus, refused if any file differs from its recorded hash (or is missing or extra). */
export async function loadPinnedCorpus(): Promise<CorpusDocument[]> {
  const pinned = readFileSync(path.join(CORPUS_DIR, 'SHA256SUMS'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/))
    .map(([hash, file]) => `${file}:${hash}`);
  const corpus = await loadDocsCorpus(CORPUS_DIR);
  const found = corpus.map((d) => `${d.path}:${sha256(d.text)}`);
  if (found.sort().join('\n') !== pinned.sort().join('\n'))
    throw new Error(`${CORPUS_DIR} differs from its SHA256SUMS: the pinned corpus was edited`);
  return corpus;
}

/** One hash for the whole corpus, as the results name it. */
export const corpusHash = (corpus: CorpusDocument[]) => sha256(corpus.map((d) => `${d.path}:${sha256(d.text)}`).join('\n'));

/** The benchmark's own held-out set for a component. */
export function loadBenchSet(component: string): LoadedSuite {
  const file = path.join(ROOT, 'datasets', 'bench', `${component}-heldout.json`);
  const text = readFileSync(file, 'utf8');
  const set = SuiteFile.parse(JSON.parse(text));
  if (set.component !== component) throw new Error(`${file} is the benchmark set of ${set.component}, not ${component}`);
  return { ...set, name: path.basename(file), hash: sha256(text) };
}
