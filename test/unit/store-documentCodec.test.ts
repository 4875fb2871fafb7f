import { decodeFields, decodeFromStore, encodeFields, encodeForStore } from '../../store/documentCodec';

/** Whether a value is one FerretDB v1 and MongoDB store as given (document_validation.go, jsonb, BSON's UTF-8). */
function storable(value: unknown, insideArray = false): boolean {
  if (typeof value === 'string') return !/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return !insideArray && value.every((item) => storable(item, true));
  if (value && typeof value === 'object') {
    return Object.entries(value).every(
      ([key, item]) => !key.startsWith('$') && !key.includes('.') && key !== '_id' && storable(key) && storable(item),
    );
  }
  return true;
}

const hostile = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  properties: { 'a.b': { $ref: '#/definitions/x' }, '%24': 'looks escaped', '%': '', '': 'empty key' },
  tunables: { 'a.b': { default: 1, min: 0, max: 2 } },
  subset: { 'a.b': 1 },
  matrix: [[1, [2, [3]]], [], [[]]],
  nul: 'a\0b%00',
  nulKey: { 'k\0': 1 },
  lone: '\uD800x\uDC00',
  pair: '😀 %uD83D',
  numbers: [Infinity, -Infinity, NaN, 0, 1.5],
  nested: { b: 1, _id: 'kept in its place', a: 2 },
  wrappers: { '%s': 'x', '%[]': [], '%n': 'NaN' },
  plain: { null: null, yes: true, list: ['x', { y: 'z' }] },
};

test('outside data comes back exactly as it went in, and what is stored is storable', () => {
  const stored = encodeForStore(hostile);
  expect(storable(stored)).toBe(true);
  expect(decodeFromStore(stored)).toEqual(hostile);
  expect(Object.keys(decodeFromStore(stored) as object)).toEqual(Object.keys(hostile));
  expect(Object.keys((decodeFromStore(stored) as typeof hostile).nested)).toEqual(['b', '_id', 'a']);
});

test('ordinary data is stored as it is (what queries filter on is unchanged)', () => {
  const ordinary = { component: 'calculator', at: '2026-12-07T00:00:00.000Z', n: 3, tags: ['tool'], by: { detail: 'system' } };
  expect(encodeForStore(ordinary)).toEqual(ordinary);
});

test("a document's own fields keep their names and its _id is never encoded", () => {
  const doc = { _id: 'calculator@abc', component: 'calculator', manifest: { $schema: 'x' } };
  const stored = encodeFields(doc);
  expect(stored._id).toBe('calculator@abc');
  expect(stored.component).toBe('calculator');
  expect(stored.manifest).toEqual({ '%24schema': 'x' });
  expect(decodeFields(stored)).toEqual(doc);
});
