/**
 * A small JavaScript tokenizer for highlighting one line of a diff: keywords,
 * strings, numbers, comments, and the rest. Lines are highlighted alone, so a
 * block comment spanning lines only colours its first and last line. Pure;
 * unit-tested in test/unit/web-jsTokenizer.test.ts.
 */
export type TokenKind = 'keyword' | 'string' | 'number' | 'comment' | 'literal' | 'property' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'var',
  'let',
  'const',
  'function',
  'return',
  'if',
  'else',
  'for',
  'while',
  'do',
  'break',
  'continue',
  'switch',
  'case',
  'default',
  'new',
  'typeof',
  'instanceof',
  'in',
  'of',
  'throw',
  'try',
  'catch',
  'finally',
  'class',
  'extends',
  'this',
  'import',
  'export',
  'from',
  'async',
  'await',
  'yield',
  'delete',
  'void',
]);
const LITERALS = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);

export function tokenizeJsLine(line: string): Token[] {
  const out: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind && kind === 'plain') last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    const rest = line.slice(i);
    if (rest.startsWith('//')) {
      push('comment', rest);
      break;
    }
    if (rest.startsWith('/*') || (i === 0 && /^\s*\*/.test(rest))) {
      const end = line.indexOf('*/', i + 2);
      const stop = end < 0 ? line.length : end + 2;
      push('comment', line.slice(i, stop));
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < line.length && line[j] !== ch) j += line[j] === '\\' ? 2 : 1;
      push('string', line.slice(i, Math.min(line.length, j + 1)));
      i = j + 1;
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest);
    if (num && !/[A-Za-z0-9_$]/.test(line[i - 1] ?? '')) {
      push('number', num[0]);
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(rest);
    if (word) {
      const w = word[0];
      const after = line.slice(i + w.length);
      // An object key (even a keyword such as `default:`) unless it is the middle of a ternary.
      const isKey = /^\s*:(?!:)/.test(after) && !/\?[^:]*$/.test(line.slice(0, i)) && !/\b(case)\s*$/.test(line.slice(0, i));
      const kind: TokenKind = isKey ? 'property' : KEYWORDS.has(w) ? 'keyword' : LITERALS.has(w) ? 'literal' : 'plain';
      push(kind, w);
      i += w.length;
      continue;
    }
    push('plain', ch);
    i += 1;
  }
  return out;
}
