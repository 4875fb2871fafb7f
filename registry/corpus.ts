import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One markdown page, as the docs retriever receives it. */
export interface CorpusDocument {
  /** Relative to the docs folder, with forward slashes; used in citations. */
  path: string;
  text: string;
}

/** Reads every `*.md` under `dir` (recursively), sorted by path so retrieval ties break the same way every run. */
export async function loadDocsCorpus(dir: string): Promise<CorpusDocument[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const documents = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map(async (entry) => {
        const absolutePath = path.join(entry.parentPath, entry.name);
        return {
          path: path.relative(dir, absolutePath).split(path.sep).join('/'),
          text: await readFile(absolutePath, 'utf8'),
        };
      }),
  );
  return documents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
