import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Graph, alg } from '@dagrejs/graphlib';
import ts from 'typescript';

/**
 * The rooms of the server, lowest first (README, "Layout"). A room imports only rooms of an
 * earlier tier; the exceptions below are stricter, never looser.
 */
const TIERS: string[][] = [
  ['domain'],
  ['evolution', 'sandbox', 'model', 'store'],
  ['evaluation', 'registry', 'telemetry', 'metrics'],
  ['activities'],
  ['workflows'],
  ['worker', 'api'],
];
/**
 * Workflow code is replayed in a sandbox: it runs pure code only, and knows activities by the
 * type of the factory the worker registers (activities/index.ts); the shapes it hands them and
 * gets back live in domain/.
 */
const WORKFLOW_VALUES = ['domain', 'evolution'];
const ACTIVITY_INTERFACES = ['activities', 'activities/index'];
/** api/ reads the store and the model clients itself; activities/ are the worker's. */
const API_NEVER = ['activities'];
/** The browser bundle shares only the domain's types and schemas with the server. */
const WEB_ALLOWED = ['domain'];
/**
 * What the tests and the benchmarks share (servers, stack, client, browser) is the harness: it drives the server
 * rooms and the dev stack's process helpers (scripts/lib), and no server room imports it (it is not a room).
 */
const HARNESS_ALSO = ['scripts'];
/** The benchmarks start the stack through the harness and read no test file. */
const BENCH_NEVER = ['test'];

const ROOT = path.resolve(__dirname, '../..');
const tierOf = new Map(TIERS.flatMap((rooms, tier) => rooms.map((room) => [room, tier] as const)));

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

interface Specifier {
  specifier: string;
  typeOnly: boolean;
}

/** Every import, re-export, dynamic import and require of a file, as written (packages too). */
function specifiersOf(file: string): Specifier[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: Specifier[] = [];
  const add = (specifier: string, typeOnly: boolean) => specifiers.push({ specifier, typeOnly });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = Boolean(
        clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly))),
      );
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** Every relative import of a file, resolved to a path under ROOT. */
const importsOf = (file: string): Edge[] =>
  specifiersOf(file)
    .filter(({ specifier }) => specifier.startsWith('.'))
    .map(({ specifier, typeOnly }) => ({
      from: file,
      to: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)),
      typeOnly,
    }));

const roomOf = (file: string) => (file.startsWith('web/src/') ? 'web' : file.split('/')[0]);

/** Why an edge breaks the room order, or null when it keeps it. */
function violation({ from, to, typeOnly }: Edge): string | null {
  const a = roomOf(from);
  const b = roomOf(to);
  if (a === b) return null;
  if (a === 'web') return WEB_ALLOWED.includes(b) ? null : 'web/ imports only domain/';
  if (a === 'workflows') {
    if (WORKFLOW_VALUES.includes(b)) return null;
    if (b !== 'activities') return 'workflows/ import only domain/ and evolution/ (pure code)';
    if (!ACTIVITY_INTERFACES.includes(to))
      return 'workflows/ import from activities/ only its interface types (activities/index.ts)';
    return typeOnly ? null : 'workflows/ import activities as types only';
  }
  if (a === 'api' && API_NEVER.includes(b)) return 'api/ never imports activities/';
  if (a === 'harness')
    return tierOf.has(b) || HARNESS_ALSO.includes(b) ? null : 'harness/ imports only the server rooms and scripts/';
  if (a === 'bench') return BENCH_NEVER.includes(b) ? 'bench/ imports the harness, never test/' : null;
  const lower = tierOf.get(b);
  if (lower === undefined) return `${b}/ is not a room the server may import`;
  return lower < tierOf.get(a)! ? null : `${b}/ is not below ${a}/`;
}

/** The file an import names: the module itself, or the index of the folder it names. */
function resolveFile(specifier: string, files: ReadonlySet<string>): string | null {
  const candidates = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ending) => specifier + ending);
  return candidates.find((file) => files.has(file)) ?? null;
}

/**
 * The import circles among `files`: each group of files that reach one another through their
 * imports (graphlib's strongly connected components, with a file that imports itself), each
 * group and the list sorted. A type-only import counts: a circle of types still leaves no file
 * that can be read first.
 */
function importCircles(edges: readonly Edge[], files: ReadonlySet<string>): string[][] {
  const graph = new Graph();
  for (const file of files) graph.setNode(file);
  for (const { from, to } of edges) {
    const target = resolveFile(to, files);
    if (files.has(from) && target) graph.setEdge(from, target);
  }
  return alg
    .findCycles(graph)
    .map((group) => [...group].sort())
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Temporal evaluates the workflow bundle's modules for every workflow run, a chat turn too: a zod
 * schema built there is built again per run (issue 18). Workflows import the domain's names and
 * id helpers from its zod-free modules, and its shapes as types only.
 */
const WORKFLOW_ENTRY = 'workflows/index.ts';
const NEVER_IN_WORKFLOW_BUNDLE = 'zod';

/** The files `entry` reaches through value imports (type-only ones are erased): what a bundle of it evaluates. */
function valueReach(entry: string, edges: readonly Edge[], files: ReadonlySet<string>): string[] {
  const reached = new Set([entry]);
  for (const file of reached)
    for (const { from, to, typeOnly } of edges) {
      const target = from === file && !typeOnly ? resolveFile(to, files) : null;
      if (target) reached.add(target);
    }
  return [...reached].sort();
}

const importsPackage = (file: string, name: string) =>
  specifiersOf(file).some(({ specifier, typeOnly }) => !typeOnly && (specifier === name || specifier.startsWith(`${name}/`)));

describe('room order', () => {
  const serverFiles = [...tierOf.keys()].flatMap(sourceFiles);
  const edges = [...serverFiles, ...['web/src', 'harness', 'bench'].flatMap(sourceFiles)].flatMap(importsOf);

  it('has no import edge that goes up, sideways or into a forbidden room', () => {
    const broken = edges
      .map((e) => ({ e, why: violation(e) }))
      .filter((v) => v.why)
      .map(({ e, why }) => `${e.from} -> ${e.to}: ${why}`);
    expect(broken).toEqual([]);
  });

  it('has no import circle among the server files', () => {
    const serverSet = new Set(serverFiles);
    expect(importCircles(edges, serverSet).map((group) => group.join(' ↔ '))).toEqual([]);
  });

  it('finds an import circle, through a folder index and type-only imports too', () => {
    const files = new Set(['a/one.ts', 'a/two.ts', 'a/index.ts', 'b/three.ts', 'b/self.ts']);
    const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });
    expect(
      importCircles(
        [
          edge('a/one.ts', 'a/two', true),
          edge('a/two.ts', 'a'),
          edge('a/index.ts', 'a/one'),
          edge('b/three.ts', 'a'),
          edge('b/self.ts', 'b/self'),
          edge('b/three.ts', 'node:fs'),
        ],
        files,
      ),
    ).toEqual([['a/index.ts', 'a/one.ts', 'a/two.ts'], ['b/self.ts']]);
    expect(importCircles([edge('a/one.ts', 'a/two'), edge('b/three.ts', 'a')], files)).toEqual([]);
  });

  it('keeps zod out of the workflow bundle: nothing the workflows import as a value imports it', () => {
    const reached = valueReach(WORKFLOW_ENTRY, edges, new Set(serverFiles));
    expect(reached).toEqual(expect.arrayContaining(['workflows/chatTurn.ts', 'evolution/evolutionSteps.ts']));
    expect(reached.filter((file) => importsPackage(file, NEVER_IN_WORKFLOW_BUNDLE))).toEqual([]);
  });

  it('follows value imports only, and sees a zod import', () => {
    const files = new Set(['a/entry.ts', 'a/value.ts', 'b/index.ts', 'b/typeOnly.ts']);
    const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });
    const reach = valueReach(
      'a/entry.ts',
      [
        edge('a/entry.ts', 'a/value'),
        edge('a/value.ts', 'b'),
        edge('a/entry.ts', 'b/typeOnly', true),
        edge('b/index.ts', 'node:fs'),
      ],
      files,
    );
    expect(reach).toEqual(['a/entry.ts', 'a/value.ts', 'b/index.ts']);
    expect(importsPackage('domain/evolution.ts', NEVER_IN_WORKFLOW_BUNDLE)).toBe(true);
    expect(importsPackage('domain/evolutionWorkflowNames.ts', NEVER_IN_WORKFLOW_BUNDLE)).toBe(false);
  });

  it('reads the edges it judges (a check that sees nothing proves nothing)', () => {
    expect(edges.some((e) => e.from.startsWith('activities/') && e.to.startsWith('store/'))).toBe(true);
    expect(edges.some((e) => e.from.startsWith('workflows/') && e.to === 'activities' && e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.from.startsWith('bench/') && e.to.startsWith('harness/'))).toBe(true);
    expect(edges.some((e) => e.from.startsWith('harness/') && e.to.startsWith('api/'))).toBe(true);
    const serverSet = new Set(serverFiles);
    expect(resolveFile('activities', serverSet)).toBe('activities/index.ts');
    expect(edges.some((e) => e.from === 'activities/turnActivities.ts' && resolveFile(e.to, serverSet))).toBe(true);
  });

  it('flags the kinds of edges the rooms forbid', () => {
    expect(violation({ from: 'store/x.ts', to: 'registry/registry', typeOnly: true })).toMatch(/not below/);
    expect(violation({ from: 'store/x.ts', to: 'model/modelClient', typeOnly: false })).toMatch(/not below/);
    expect(violation({ from: 'api/x.ts', to: 'activities/deps', typeOnly: true })).toMatch(/never imports activities/);
    expect(violation({ from: 'workflows/x.ts', to: 'activities', typeOnly: false })).toMatch(/as types only/);
    expect(violation({ from: 'workflows/x.ts', to: 'activities/index', typeOnly: true })).toBeNull();
    expect(violation({ from: 'workflows/x.ts', to: 'activities/deps', typeOnly: true })).toMatch(/only its interface types/);
    expect(
      violation({ from: 'workflows/x.ts', to: 'activities/toolGeneration/toolGenerationActivities', typeOnly: true }),
    ).toMatch(/only its interface types/);
    expect(violation({ from: 'workflows/x.ts', to: 'store/eventLog', typeOnly: false })).toMatch(/pure code/);
    expect(violation({ from: 'web/src/x.ts', to: 'store/eventLog', typeOnly: true })).toMatch(/only domain/);
    expect(violation({ from: 'domain/x.ts', to: 'test/support/stack', typeOnly: false })).toMatch(/not a room/);
    expect(violation({ from: 'api/x.ts', to: 'harness/stack', typeOnly: true })).toMatch(/not a room/);
    expect(violation({ from: 'web/src/x.ts', to: 'harness/client', typeOnly: false })).toMatch(/only domain/);
    expect(violation({ from: 'harness/x.ts', to: 'test/support/fakeOpenAi', typeOnly: false })).toMatch(/only the server rooms/);
    expect(violation({ from: 'harness/x.ts', to: 'bench/stats', typeOnly: false })).toMatch(/only the server rooms/);
    expect(violation({ from: 'bench/x.ts', to: 'test/support/fakeOpenAi', typeOnly: true })).toMatch(/never test/);
    expect(violation({ from: 'harness/x.ts', to: 'worker/createWorker', typeOnly: false })).toBeNull();
    expect(violation({ from: 'bench/x.ts', to: 'harness/servers', typeOnly: false })).toBeNull();
    expect(violation({ from: 'api/x.ts', to: 'workflows/evolutionMessages', typeOnly: false })).toBeNull();
  });
});
