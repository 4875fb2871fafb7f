/**
 * The store's codec for outside data: manifests, suites, node payloads, tool outputs, settings,
 * event data — values that people, models and components write, which a MongoDB-compatible store
 * may refuse or change. FerretDB v1 (internal/types/document_validation.go) refuses keys that
 * start with `$` or contain `.`, nested arrays and infinite numbers; PostgreSQL's jsonb under it
 * refuses NUL characters; MongoDB refuses `$` and `.` keys in places; BSON turns a lone UTF-16
 * surrogate into U+FFFD; and FerretDB moves a nested `_id` key to the front of its object.
 *
 * Encoding is reversible and the identity on ordinary data, so a document's own fields (ids,
 * names, times the code filters on) are stored exactly as they are:
 * - a key has `%`, `.`, `$`, NUL and lone surrogates escaped as `%XX` / `%uXXXX`, and a key that
 *   is exactly `_id` becomes `%5Fid`;
 * - a string with NUL or a lone surrogate becomes `{"%s": <escaped>}`, an array inside an array
 *   `{"%[]": [...]}`, a non-finite number `{"%n": "Infinity" | "-Infinity" | "NaN"}`.
 * The wrappers' keys cannot come out of key escaping (there a `%` is always followed by hex), so
 * decoding never mistakes outside data for a wrapper.
 */
const STRING = '%s';
const NESTED_ARRAY = '%[]';
const NUMBER = '%n';

const hex = (code: number, width: number) => code.toString(16).toUpperCase().padStart(width, '0');
const escapeChar = (c: string) => {
  const code = c.charCodeAt(0);
  return code > 0xff ? `%u${hex(code, 4)}` : `%${hex(code, 2)}`;
};

const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const STRING_SPECIALS = new RegExp(`%|\\0|${LONE_SURROGATE}`, 'g');
const KEY_SPECIALS = new RegExp(`[%.$]|\\0|${LONE_SURROGATE}`, 'g');
const NEEDS_WRAPPING = new RegExp(`\\0|${LONE_SURROGATE}`);
// Cheap first looks (a character class, no lookaround): nothing either pattern above matches can
// be there without one of these characters, and ordinary keys and strings have none.
const MAY_NEED_KEY_ESCAPING = /[%.$\0\uD800-\uDFFF]/;
const MAY_NEED_WRAPPING = /[\0\uD800-\uDFFF]/;
const ESCAPED = /%(u[0-9A-F]{4}|[0-9A-F]{2})/g;

const unescape = (s: string) =>
  s.includes('%') ? s.replace(ESCAPED, (_, code: string) => String.fromCharCode(parseInt(code.replace('u', ''), 16))) : s;
const encodeKey = (key: string) => {
  if (key === '_id') return '%5Fid';
  return MAY_NEED_KEY_ESCAPING.test(key) ? key.replace(KEY_SPECIALS, escapeChar) : key;
};

/**
 * An object stored as a document: any object but dates, binaries, regular expressions and BSON's
 * own values (`_bsontype`). Not a prototype check: objects copied out of the sandbox come from
 * another realm.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]' && !('_bsontype' in (value as object));
}

function encodeItem(value: unknown, insideArray: boolean): unknown {
  if (typeof value === 'string')
    return MAY_NEED_WRAPPING.test(value) && NEEDS_WRAPPING.test(value)
      ? { [STRING]: value.replace(STRING_SPECIALS, escapeChar) }
      : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { [NUMBER]: String(value) };
  if (Array.isArray(value)) {
    const items = value.map((item) => encodeItem(item, true));
    return insideArray ? { [NESTED_ARRAY]: items } : items;
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [encodeKey(key), encodeItem(item, false)]));
  }
  return value; // null, booleans, dates and other BSON values are stored as they are
}

/** Outside data as the store can keep it (see the header). */
export const encodeForStore = (value: unknown): unknown => encodeItem(value, false);

/** What `encodeForStore` was given. */
export function decodeFromStore(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeFromStore);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [only] = keys;
    const inner = value[only];
    if (only === STRING && typeof inner === 'string') return unescape(inner);
    if (only === NESTED_ARRAY && Array.isArray(inner)) return inner.map(decodeFromStore);
    if (only === NUMBER && typeof inner === 'string') return Number(inner);
  }
  return Object.fromEntries(keys.map((key) => [unescape(key), decodeFromStore(value[key])]));
}

/**
 * A document with every field's value encoded; its own top-level keys (`_id` and the fields
 * queries use) stay as they are.
 */
export function encodeFields<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).map(([key, value]) => [key, key === '_id' ? value : encodeForStore(value)])) as T;
}

/** The document `encodeFields` was given (any document read from the store may be passed). */
export function decodeFields<T extends object>(doc: T): T {
  return Object.fromEntries(
    Object.entries(doc).map(([key, value]) => [key, key === '_id' ? value : decodeFromStore(value)]),
  ) as T;
}

/** `decodeFields` for a document that may be missing. */
export const decodeFound = <T extends object>(doc: T | null): T | null => doc && decodeFields(doc);
