import { withinBounds } from '../../activities/agentLoopActivities';
import type { PlanStep } from '../../domain/plan';

/** The host holds an evolved planner to the workflow's bounds: past one, a turn answers or gives up. */
const calc = (id: string, expression: string): PlanStep => ({
  id,
  kind: 'tool',
  component: 'calculator',
  args: { expression },
  reason: 'r',
});

describe('a decision past a bound', () => {
  const observation = (ok: boolean) => ({
    stepId: 'step-1',
    kind: 'tool' as const,
    component: 'calculator',
    ok,
    output: null,
    error: ok ? null : 'x',
    replanned: false,
    step: calc('step-1', '1'),
  });
  it.each([
    ['continue', 'steps', true, 'answer'],
    ['replan', 'time', false, 'give_up'],
    ['replan', null, false, 'replan'],
    ['give_up', 'steps', true, 'give_up'],
  ] as const)('%s with %s reached (a step ok: %s) becomes %s', (action, exhausted, ok, expected) => {
    expect(
      withinBounds({ action, reason: 'r' }, { observations: [observation(ok)], pending: 1, replans: 0, exhausted }).action,
    ).toBe(expected);
  });
});
