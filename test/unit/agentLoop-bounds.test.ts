import { withinBounds } from '../../activities/agentLoopActivities';
import { calculatorStep } from '../support/planSteps';

/** The host holds an evolved planner to the workflow's bounds: past one, a turn answers or gives up. */
describe('a decision past a bound', () => {
  const observation = (ok: boolean) => ({
    stepId: 'step-1',
    kind: 'tool' as const,
    component: 'calculator',
    ok,
    output: null,
    error: ok ? null : 'x',
    replanned: false,
    step: calculatorStep('step-1', '1'),
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
