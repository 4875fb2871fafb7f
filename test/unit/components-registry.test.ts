import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadDocsCorpus } from '../../registry/corpus';
import { loadComponents, toOpenAiTools } from '../../registry/registry';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { COMPONENTS_DIR } from './componentRunner';

afterAll(() => sandboxPool.close());

describe('loadComponents', () => {
  it('loads every real component with its manifest, hash and version', async () => {
    const components = await loadComponents(COMPONENTS_DIR);
    expect(components.map((c) => [c.file_path, c.manifest.name, c.manifest.type])).toEqual([
      ['agent/intent_analyser.js', 'intent_analyser', 'agent'],
      ['agent/responder.js', 'responder', 'agent'],
      ['chain/planner.js', 'planner', 'chain'],
      ['memory/session_memory.js', 'session_memory', 'memory'],
      ['model/model_selector.js', 'model_selector', 'model'],
      ['rag/docs_retriever.js', 'docs_retriever', 'tool'],
      ['tools/calculator.js', 'calculator', 'tool'],
      ['tools/unit_convert.js', 'unit_convert', 'tool'],
    ]);
    for (const c of components) {
      expect(c.code_hash).toBe(createHash('sha256').update(c.code).digest('hex'));
      expect(c.version).toBe(c.code_hash.slice(0, 12));
      expect(c.name).toBe(c.manifest.name);
      expect(c.manifest).not.toHaveProperty('run');
    }
    const retriever = components.find((c) => c.manifest.name === 'docs_retriever')!;
    expect(retriever.manifest.kind).toBe('rag');
    expect(retriever.manifest.tunables?.k1).toEqual({ default: 1.2, min: 0.5, max: 2.5, step: 0.1 });
  });

  it('turns every tool into an OpenAI function definition', async () => {
    const tools = toOpenAiTools(await loadComponents(COMPONENTS_DIR));
    expect(tools.map((t) => t.function.name)).toEqual(['docs_retriever', 'calculator', 'unit_convert']);
    expect(tools[1]).toEqual({
      type: 'function',
      function: { name: 'calculator', description: expect.any(String), parameters: expect.objectContaining({ type: 'object' }) },
    });
  });

  describe('with a scratch folder', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'evoscope-components-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const valid = (name: string) =>
      `var component = { name: '${name}', type: 'tool', description: 'd', input_schema: { type: 'object' }, run: function () { return 1; } };`;

    it('names the file whose manifest is invalid', async () => {
      await writeFile(path.join(dir, 'bad.js'), valid('Bad Name'));
      await expect(loadComponents(dir)).rejects.toThrow(/bad\.js: Invalid component manifest/);
    });

    it('rejects a tunable whose default is out of range', async () => {
      await writeFile(
        path.join(dir, 'tuned.js'),
        `var component = { name: 'tuned', type: 'tool', description: 'd', input_schema: { type: 'object' },
          tunables: { k: { default: 5, min: 0, max: 1 } }, run: function () {} };`,
      );
      await expect(loadComponents(dir)).rejects.toThrow(/default must lie within/);
    });

    it('rejects two files with the same name', async () => {
      await mkdir(path.join(dir, 'a'));
      await writeFile(path.join(dir, 'a', 'one.js'), valid('same'));
      await writeFile(path.join(dir, 'two.js'), valid('same'));
      await expect(loadComponents(dir)).rejects.toThrow(/'same' is used by both a\/one\.js and two\.js/);
    });
  });
});

describe('loadDocsCorpus', () => {
  it('reads every markdown page under docs, sorted by path', async () => {
    const corpus = await loadDocsCorpus(path.resolve(__dirname, '..', '..', 'docs'));
    const paths = corpus.map((d) => d.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(expect.arrayContaining(['overview.md', 'architecture.md', 'models.md']));
    expect(corpus.every((d) => d.text.startsWith('# '))).toBe(true);
  });
});
