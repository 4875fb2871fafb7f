import type { FieldRef, InputObjectRef, ObjectRef } from '@pothos/core';
import { builder, type GraphQLContext } from './builder';
import { withoutNulls } from './withoutNulls';

type Types = typeof builder.$inferSchemaTypes;
type MutationFields = Parameters<Parameters<typeof builder.mutationFields>[0]>[0];
type DecisionInputRef = InputObjectRef<Types, { by?: string | null; reason?: string | null }>;

/**
 * `approve_<noun>` and `reject_<noun>`: a person's answer to something a workflow holds for
 * them (an experiment, a generated tool), answered with the thing as it is afterwards.
 */
export function decisionMutations(
  t: MutationFields,
  noun: string,
  type: ObjectRef<Types, unknown>,
  input: DecisionInputRef,
  decide: (ctx: GraphQLContext, id: string, answer: Record<string, unknown>, approve: boolean) => Promise<unknown>,
): Record<string, FieldRef<Types, unknown, 'Mutation'>> {
  const answer = (approve: boolean) =>
    t.field({
      type,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: input }) },
      resolve: (_, a, ctx) => decide(ctx, String(a.id), withoutNulls(a.input), approve),
    });
  return { [`approve_${noun}`]: answer(true), [`reject_${noun}`]: answer(false) };
}
