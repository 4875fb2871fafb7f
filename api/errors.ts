import { GraphQLError } from 'graphql';
import { z } from 'zod';

/**
 * A refusal the client caused: a 4xx over REST; over GraphQL it is a GraphQLError, so
 * yoga shows its message and code instead of masking it like an unexpected error.
 */
export class ApiError extends GraphQLError {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413,
    readonly code: string,
    message: string,
  ) {
    super(message, { extensions: { code } });
    this.name = 'ApiError';
  }
}

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);

/** Parses input at the edge; a malformed input is refused with the reasons, and nothing changes. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ApiError(400, 'BAD_USER_INPUT', reasons);
  }
  return parsed.data;
}
