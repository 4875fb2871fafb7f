import SchemaBuilder from '@pothos/core';
import type { ApiDeps } from '../deps';
import type { ApiServices } from '../services/apiServices';

export interface GraphQLContext extends ApiServices {
  deps: ApiDeps;
  /** Aborted when the client goes away, so subscriptions stop reading. */
  signal?: AbortSignal;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
