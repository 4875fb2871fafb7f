import { ApplicationFailure } from '@temporalio/activity';
import OpenAI from 'openai';

/** Answers that a retry cannot change: a wrong key, model name or request. */
const REFUSED = new Set([400, 401, 403, 404, 422]);

/**
 * Rethrows a model endpoint's error for Temporal: a refusal (wrong key, unknown model, bad
 * request) as a non-retryable failure that says so, since retrying it only wastes time;
 * anything else (5xx, timeouts, lost connections) unchanged, for Temporal to retry.
 */
export function rethrowModelError(err: unknown): never {
  if (err instanceof OpenAI.APIError && typeof err.status === 'number' && REFUSED.has(err.status)) {
    throw ApplicationFailure.create({
      message: `the model endpoint refused the request (HTTP ${err.status}): ${err.message}`,
      type: 'ModelRequestRefused',
      nonRetryable: true,
    });
  }
  throw err;
}
