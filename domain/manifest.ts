import { z } from 'zod';
import { ComponentType } from './enums';

/** A tunable parameter: the evolution engine may move it within [min, max]. */
export const Tunable = z
  .object({
    default: z.number(),
    min: z.number(),
    max: z.number(),
    step: z.number().positive().optional(),
  })
  .refine((t) => t.min <= t.default && t.default <= t.max, { message: 'default must lie within [min, max]' });
export type Tunable = z.infer<typeof Tunable>;

/** Everything in a component file's `component` object except its functions (see components/README.md). */
export const ComponentManifest = z.object({
  // Tool names become OpenAI function names, which allow only these characters.
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'name must be snake_case, at most 64 characters'),
  type: ComponentType,
  /** Finer role inside the execution graph, e.g. 'rag' for a retrieval tool. */
  kind: z.enum(['rag']).optional(),
  description: z.string().min(1),
  version_note: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  tunables: z.record(z.string(), Tunable).optional(),
});
export type ComponentManifest = z.infer<typeof ComponentManifest>;

/** What a planner sees of a component it may plan with; the worker and the teaching service hand it the same. */
export interface PlannableTool {
  name: string;
  type: ComponentType;
  kind: 'rag' | null;
  description: string;
  input_schema: ComponentManifest['input_schema'];
}

/** The planner plans with tools and memory; the other component types decide, they are not planned. */
export const isPlannable = (manifest: Pick<ComponentManifest, 'type'>) => manifest.type === 'tool' || manifest.type === 'memory';

export const plannableToolOf = (manifest: ComponentManifest): PlannableTool => ({
  name: manifest.name,
  type: manifest.type,
  kind: manifest.kind ?? null,
  description: manifest.description,
  input_schema: manifest.input_schema,
});
