/** A GraphQL input as the service reads a JSON body: an argument left out or sent as null is absent. */
export const withoutNulls = (o: object | null | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v != null));
