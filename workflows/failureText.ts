/** What a person is told about a failure: the innermost cause's own message, not Temporal's wrapper text. */
export function failureText(err: unknown): string {
  let inner = err;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}
