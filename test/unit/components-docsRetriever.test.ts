import path from 'node:path';
import { loadDocsCorpus } from '../../registry/corpus';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { componentRunner } from './componentRunner';

afterAll(() => sandboxPool.close());

const retrieve = componentRunner('rag/docs_retriever.js');
const DOCS_DIR = path.resolve(__dirname, '..', '..', 'docs');

const documents = [
  {
    path: 'fruit.md',
    text: '# Fruit\n\nApples and pears grow on trees. Apples are often red.\n\n## Citrus\n\nLemons and oranges are citrus fruit, rich in vitamin C.',
  },
  { path: 'tools.md', text: '# Tools\n\nA hammer drives nails. A saw cuts wood.\n\n```\n# not a heading inside code\n```' },
];

describe('docs_retriever component', () => {
  it('ranks the chunk that matches and names its heading', async () => {
    const { results } = await retrieve({ query: 'which fruit has vitamin C?', documents });
    expect(results[0]).toMatchObject({ path: 'fruit.md', heading: 'Citrus' });
    expect(results[0].snippet).toContain('vitamin C');
    expect(results[0].score).toBeGreaterThan(0);
  });

  it('ignores # lines inside code fences and returns nothing for unknown words', async () => {
    const { results } = await retrieve({ query: 'hammer', documents });
    expect(results).toEqual([expect.objectContaining({ path: 'tools.md', heading: 'Tools', chunk_index: 0 })]);
    expect((await retrieve({ query: 'quantum chromodynamics', documents })).results).toEqual([]);
  });

  it('chunks long sections with overlap and honours top_k', async () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const long = [{ path: 'long.md', text: `# Long\n\n${words} needle` }];
    const { results } = await retrieve(
      { query: 'word45 needle word5', documents: long, top_k: 10 },
      { chunk_size: 40, chunk_overlap: 10 },
    );
    // Windows of 40 words every 30: [0,40) [30,70) [60,100) [90,101)
    expect(results.map((r: { chunk_index: number }) => r.chunk_index).sort()).toEqual([0, 1, 3]);
    const top1 = await retrieve(
      { query: 'word45 needle word5', documents: long, top_k: 1 },
      { chunk_size: 40, chunk_overlap: 10 },
    );
    expect(top1.results).toHaveLength(1);
  });

  it.each([
    ['How do I configure an OpenAI-compatible endpoint?', 'models.md'],
    ['What does the semi_auto autonomy level do?', 'autonomy.md'],
    ['event sequence numbers when a client reconnects', 'architecture.md'],
    ['sandbox memory limit for components', 'components.md'],
    ['what node types are in the execution graph', 'execution-graph.md'],
  ])('finds the right page of the real docs for %p', async (query, expectedPath) => {
    const corpus = await loadDocsCorpus(DOCS_DIR);
    const { results } = await retrieve({ query, documents: corpus });
    expect(results[0].path).toBe(expectedPath);
  });

  it('rejects a missing query', async () => {
    await expect(retrieve({ documents })).rejects.toThrow(/non-empty query/);
  });
});
