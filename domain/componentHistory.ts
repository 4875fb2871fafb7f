import { z } from 'zod';
import { Component, ComponentVersion } from './meta';

/**
 * A component's history as the API serves it: its recorded changes, one version with its code,
 * the diff between two versions (evolution/lineDiff.ts computes it) and a rollback's outcome.
 */

export const ComponentChange = z.object({
  id: z.string(),
  component: z.string(),
  from_version: z.string().nullable(),
  to_version: z.string(),
  kind: z.enum(['seed', 'file_edit', 'promote', 'rollback']),
  by: z.object({ kind: z.string(), detail: z.string().nullable() }),
  reason: z.string(),
  experiment_id: z.string().nullable(),
  at: z.string(),
});
export const ComponentHistory = Component.extend({ changes: z.array(ComponentChange) });
export const ComponentVersionWithCode = ComponentVersion.extend({ code: z.string() });

const DiffLine = z.object({
  op: z.enum(['equal', 'add', 'remove']),
  text: z.string(),
  old_line: z.number().int().nullable(),
  new_line: z.number().int().nullable(),
});
export const ComponentDiff = z.object({
  component: z.string(),
  version_a: z.string(),
  version_b: z.string(),
  unified: z.string(),
  hunks: z.array(
    z.object({
      old_start: z.number().int(),
      old_lines: z.number().int(),
      new_start: z.number().int(),
      new_lines: z.number().int(),
      lines: z.array(DiffLine),
    }),
  ),
  added: z.number().int(),
  removed: z.number().int(),
});
export type ComponentDiff = z.infer<typeof ComponentDiff>;

/** A rollback: the version it left, the one it made current, and the component after it. */
export const RollbackResult = z.object({ from: z.string().nullable(), to: z.string(), component: Component });
