import type { z } from 'zod';
import { builder } from './builder';

/**
 * GraphQL object fields derived from a domain zod schema, so a GraphQL type cannot drift from
 * the contract: every key of the schema becomes a field of the same name. Scalars map to their
 * GraphQL scalars, lists of scalars to lists, and nested records (objects, dictionaries,
 * unknown payloads) travel as JSON, as elsewhere in this API. A field that needs more (an enum
 * type, an object type, a lazy resolver) is given in `overrides`, which only accepts schema keys.
 */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type FieldBuilder<Parent> = PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>;
type AnyFieldRef = ReturnType<FieldBuilder<never>['field']>;
type ZodShape = Record<string, z.ZodType>;

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The GraphQL output type of a zod type, and whether it may be null. */
function graphqlTypeOf(schema: z.ZodType): { type: string | [string]; nullable: boolean } {
  let current = schema;
  let nullable = false;
  for (
    let def = defOf(current);
    ['nullable', 'optional', 'default', 'prefault', 'readonly'].includes(def.type);
    def = defOf(current)
  ) {
    if (def.type !== 'default' && def.type !== 'prefault') nullable = true;
    current = def.innerType!;
  }
  const def = defOf(current);
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      return { type: 'String', nullable };
    case 'number':
      return { type: (current as unknown as { isInt?: boolean }).isInt ? 'Int' : 'Float', nullable };
    case 'boolean':
      return { type: 'Boolean', nullable };
    case 'array': {
      const element = graphqlTypeOf(def.element!);
      return typeof element.type === 'string' && element.type !== 'JSON' && !element.nullable
        ? { type: [element.type], nullable }
        : { type: 'JSON', nullable };
    }
    // A payload of any shape may be absent (e.g. a graph loaded without node payloads).
    case 'unknown':
    case 'any':
      return { type: 'JSON', nullable: true };
    default:
      return { type: 'JSON', nullable };
  }
}

export function zodFields<Shape extends ZodShape, Parent extends { [K in keyof Shape]?: unknown }>(
  t: FieldBuilder<Parent>,
  schema: { shape: Shape },
  overrides: Partial<Record<keyof Shape & string, AnyFieldRef>> = {},
): Record<string, AnyFieldRef> {
  const fields: Record<string, AnyFieldRef> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const override = overrides[key as keyof Shape & string];
    if (override) {
      fields[key] = override;
      continue;
    }
    const { type, nullable } = graphqlTypeOf(field);
    const description = (field as { description?: string }).description;
    const fieldType = (key === 'id' ? 'ID' : type) as never;
    fields[key] = t.field({
      type: fieldType,
      nullable,
      ...(description ? { description } : {}),
      resolve: (parent: Parent) => (parent as Record<string, unknown>)[key] ?? null,
    } as never);
  }
  return fields;
}
