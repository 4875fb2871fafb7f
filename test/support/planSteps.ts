import type { PlanStep } from '../../domain/plan';

/** A planned step that asks the calculator for `expression`. */
export const calculatorStep = (id: string, expression: string): PlanStep => ({
  id,
  kind: 'tool',
  component: 'calculator',
  args: { expression },
  reason: 'r',
});
