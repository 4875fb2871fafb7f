import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The rooms of the server, lowest first (README, "Layout"). A room imports only rooms of an
 * earlier tier; the exceptions below are stricter, never looser.
 */
const TIERS: string[][] = [
  ['domain'],
  ['evolution', 'sandbox', 'model', 'store'],
  ['evaluation', 'registry', 'metrics'],
  ['activities'],
  ['workflows'],
  ['worker', 'api'],
];
/** Workflow code is replayed in a sandbox: it runs pure code only, and knows activities by their types. */
const WORKFLOW_VALUES = ['domain', 'evolution'];
const WORKFLOW_TYPES = ['activities'];
/** api/ reads the store and the model clients itself; activities/ are the worker's. */
const API_NEVER = ['activities'];
/** The browser bundle shares only the domain's types and schemas with the server. */
const WEB_ALLOWED = ['domain'];

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

/** Every relative import, re-export, dynamic import and require of a file, resolved to a path under ROOT. */
function importsOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return;
    edges.push({ from: file, to: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)), typeOnly });
  };
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
  return edges;
}

const roomOf = (file: string) => (file.startsWith('web/src/') ? 'web' : file.split('/')[0]);

/** Why an edge breaks the room order, or null when it keeps it. */
function violation({ from, to, typeOnly }: Edge): string | null {
  const a = roomOf(from);
  const b = roomOf(to);
  if (a === b) return null;
  if (a === 'web') return WEB_ALLOWED.includes(b) ? null : 'web/ imports only domain/';
  if (a === 'workflows') {
    if (WORKFLOW_VALUES.includes(b) || (typeOnly && WORKFLOW_TYPES.includes(b))) return null;
    return WORKFLOW_TYPES.includes(b)
      ? 'workflows/ import activities as types only'
      : 'workflows/ import only domain/ and evolution/ (pure code)';
  }
  if (a === 'api' && API_NEVER.includes(b)) return 'api/ never imports activities/';
  const lower = tierOf.get(b);
  if (lower === undefined) return `${b}/ is not a room the server may import`;
  return lower < tierOf.get(a)! ? null : `${b}/ is not below ${a}/`;
}

describe('room order', () => {
  const edges = [...tierOf.keys(), 'web/src'].flatMap(sourceFiles).flatMap(importsOf);

  it('has no import edge that goes up, sideways or into a forbidden room', () => {
    const broken = edges
      .map((e) => ({ e, why: violation(e) }))
      .filter((v) => v.why)
      .map(({ e, why }) => `${e.from} -> ${e.to}: ${why}`);
    expect(broken).toEqual([]);
  });

  it('reads the edges it judges (a check that sees nothing proves nothing)', () => {
    expect(edges.some((e) => e.from.startsWith('activities/') && e.to.startsWith('store/'))).toBe(true);
    expect(edges.some((e) => e.from.startsWith('workflows/') && e.to === 'activities' && e.typeOnly)).toBe(true);
  });

  it('flags the kinds of edges the rooms forbid', () => {
    expect(violation({ from: 'store/x.ts', to: 'registry/registry', typeOnly: true })).toMatch(/not below/);
    expect(violation({ from: 'store/x.ts', to: 'model/modelClient', typeOnly: false })).toMatch(/not below/);
    expect(violation({ from: 'api/x.ts', to: 'activities/deps', typeOnly: true })).toMatch(/never imports activities/);
    expect(violation({ from: 'workflows/x.ts', to: 'activities', typeOnly: false })).toMatch(/as types only/);
    expect(violation({ from: 'workflows/x.ts', to: 'store/eventLog', typeOnly: false })).toMatch(/pure code/);
    expect(violation({ from: 'web/src/x.ts', to: 'store/eventLog', typeOnly: true })).toMatch(/only domain/);
    expect(violation({ from: 'domain/x.ts', to: 'test/support/stack', typeOnly: false })).toMatch(/not a room/);
    expect(violation({ from: 'api/x.ts', to: 'workflows/evolutionMessages', typeOnly: false })).toBeNull();
  });
});
