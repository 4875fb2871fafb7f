import { z } from 'zod';

/** The body of every refused REST request (api/errors.ts ApiError, and the express error handler's own refusals). */
export const ApiErrorBody = z.object({
  error: z.string().describe('a code: BAD_USER_INPUT, UNAUTHENTICATED, NOT_FOUND, CONFLICT, …'),
  message: z.string(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
