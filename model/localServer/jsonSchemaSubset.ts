/**
 * Tool parameters arrive as arbitrary JSON Schema; the runtime builds a grammar only from
 * a subset (types, properties, required, enum, const, items, oneOf, lengths). This keeps
 * what the subset can express and widens the rest, so a forced tool call is always
 * well-formed JSON of the right shape, if less strictly checked than the schema asks.
 */

export type SchemaSubset = Record<string, unknown>;

const BASIC_TYPES = ['string', 'number', 'integer', 'boolean', 'null'] as const;
/** Any JSON value the grammar can produce: used where a schema says nothing we can express. */
const ANY_VALUE: SchemaSubset = {
  oneOf: [{ type: [...BASIC_TYPES] }, { type: 'object', additionalProperties: true }, { type: 'array' }],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function copyNumbers(from: Record<string, unknown>, keys: string[], into: SchemaSubset): void {
  for (const key of keys)
    if (typeof from[key] === 'number' && Number.isInteger(from[key]) && from[key] >= 0) into[key] = from[key];
}

export function schemaSubset(schema: unknown): SchemaSubset {
  if (!isRecord(schema)) return ANY_VALUE;
  if (isScalar(schema.const)) return { const: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every(isScalar)) return { enum: schema.enum };
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) return { oneOf: alternatives.map(schemaSubset) };

  const type = schema.type;
  if (type === 'object' || (type === undefined && isRecord(schema.properties))) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const out: SchemaSubset = {
      type: 'object',
      properties: Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, schemaSubset(value)])),
    };
    if (Array.isArray(schema.required))
      out.required = schema.required.filter((key) => typeof key === 'string' && key in properties);
    // Without properties an object is free-form; with them, only they are written.
    out.additionalProperties = Object.keys(properties).length === 0;
    return out;
  }
  if (type === 'array') {
    const out: SchemaSubset = { type: 'array', items: schemaSubset(schema.items) };
    copyNumbers(schema, ['minItems', 'maxItems'], out);
    return out;
  }
  if (type === 'string') {
    const out: SchemaSubset = { type: 'string' };
    copyNumbers(schema, ['minLength', 'maxLength'], out);
    return out;
  }
  const types = (Array.isArray(type) ? type : [type]).filter((t): t is (typeof BASIC_TYPES)[number] =>
    (BASIC_TYPES as readonly unknown[]).includes(t),
  );
  return types.length > 0 ? { type: types.length === 1 ? types[0] : types } : ANY_VALUE;
}
