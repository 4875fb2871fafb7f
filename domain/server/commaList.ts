import { z } from 'zod';

/**
 * A comma-separated list from the environment (allowed hosts, CORS origins): entries trimmed,
 * empty ones dropped, each normalised and then checked, one issue per entry that fails.
 */
export function commaList(
  normalise: (entry: string) => string,
  isValid: (entry: string) => boolean,
  problem: (entry: string) => string,
) {
  return z
    .string()
    .default('')
    .transform((list, ctx) => {
      const entries = list
        .split(',')
        .map((entry) => normalise(entry.trim()))
        .filter(Boolean);
      for (const entry of entries) if (!isValid(entry)) ctx.addIssue({ code: 'custom', message: problem(entry) });
      return entries;
    });
}
