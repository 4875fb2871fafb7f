import { ApplicationFailure } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import type { Activities } from '../../activities';
import { LoopDecision, PlanResult } from '../../domain/agent';
import type { PlanStep, StepOutcome } from '../../domain/plan';
import type { KnownTurn } from '../../domain/turnContracts';
import {
  CHAT_TURN_REVISION,
  type ChatTurnInput,
  type ChatTurnResult,
  type TurnStepExecution,
} from '../../domain/workflowContracts';
import { prepareTurn } from '../../activities/turn/prepareTurn';
import { sandboxPool } from '../../sandbox/sandboxPool';
import { STEP_LIMIT } from '../../workflows/agentLoop';
import { calculatorStep } from '../support/planSteps';
import { useTimeSkipping } from '../support/timeSkipping';
import { componentRunner } from '../unit/componentRunner';

/**
 * The chat turn's agent loop on Temporal's time-skipping test server. Node bookkeeping is
 * mocked; what the loop decides and how it re-plans comes from the real planner component,
 * run in the sandbox as the worker runs it.
 */
afterAll(() => sandboxPool.close());
const temporal = useTimeSkipping();
const { EventType } = proto.api.enums.v1;
const planner = componentRunner('chain/planner.js');

type TurnMock = Pick<
  Activities,
  | 'recordUserInput'
  | 'selectModel'
  | 'analyseIntent'
  | 'planSteps'
  | 'runPlanStep'
  | 'decideNext'
  | 'replanSteps'
  | 'streamResponse'
  | 'reportFailure'
  | 'reportStoppedEarly'
  | 'recordLearning'
  | 'prepareTurn'
>;

interface Calls {
  /** Every node made, as "type id ← parent" (edge kind noted for re-plans). */
  nodes: string[];
  answered: StepOutcome[] | null;
  failure: { under: string | null; error: string; after?: string } | null;
  learned: string | null;
  /** When the workflow had the turn recorded started, and what it told the learning step of the turn. */
  startedAt?: string;
  known?: KnownTurn;
  /** Every activity the workflow called, in order. */
  activities: string[];
}

/** `fails(step)` says whether a step's component refuses it. */
function mockActivities(
  plan: PlanStep[],
  fails: (step: PlanStep) => string | null,
  decide?: (input: Parameters<Activities['decideNext']>[2]) => LoopDecision,
) {
  const calls: Calls = { nodes: [], answered: null, failure: null, learned: null, activities: [] };
  const node = (type: string, id: string, parent: string | null, edge = '') => {
    calls.nodes.push(`${type} ${id.split(':')[1]} ← ${parent?.split(':')[1] ?? '-'}${edge}`);
    return id;
  };
  const routing = { default: 'offline', routes: { arithmetic: ['offline'] }, reason: 'offline only' };
  const activities: TurnMock = {
    async recordUserInput(input) {
      calls.startedAt = input.startedAt;
      return node('user_input', `${input.turnId}:user_input`, null);
    },
    async selectModel(ctx, parent) {
      return {
        nodeId: node('model_selector', `${ctx.turnId}:model_selector`, parent),
        model: { provider: 'offline', model: 'm', offline: true },
        routing,
      };
    },
    async analyseIntent(ctx, parent) {
      return {
        nodeId: node('agent', `${ctx.turnId}:analyse`, parent),
        intent: { intent: 'arithmetic', confidence: 1, summary: 's' },
        requests: [],
      };
    },
    async planSteps(ctx, parent) {
      return { nodeId: node('plan', `${ctx.turnId}:plan`, parent), steps: plan };
    },
    async runPlanStep(ctx, parent, step) {
      const error = fails(step);
      const nodeId = node(step.kind, `${ctx.turnId}:${step.id}`, parent);
      return {
        nodeId,
        outcome: {
          stepId: step.id,
          kind: step.kind,
          component: step.component,
          ok: !error,
          output: error ? null : { expression: step.args.expression, result: 1 },
          error,
        },
      };
    },
    async decideNext(ctx, parent, input, index) {
      const decision = decide
        ? decide(input)
        : LoopDecision.parse(
            await planner({
              op: 'decide',
              outcomes: input.observations,
              pending: input.pending,
              replans: input.replans,
              exhausted: input.exhausted,
            }),
          );
      return { nodeId: node(`decision(${decision.action})`, `${ctx.turnId}:decision-${index}`, parent), ...decision };
    },
    async replanSteps(ctx, parent, input, index) {
      const failed = input.observations.at(-1)!;
      const out = PlanResult.parse(
        await planner({ op: 'replan', failed: { step: failed.step, error: failed.error }, next_step: input.nextStep }),
      );
      return {
        nodeId: node('plan', `${ctx.turnId}:replan-${index}`, parent, ' (replan)'),
        steps: out.steps,
        reason: out.reason ?? '',
      };
    },
    async streamResponse(req) {
      calls.answered = req.outcomes;
      const nodeId = node('response', `${req.ctx.turnId}:response`, req.parentId);
      if (req.learnAfter)
        await activities.recordLearning(req.ctx, nodeId, 'completed', req.learnAfter.stepCount, req.learnAfter.turn);
      return { messageId: 'm', nodeId, stopped: false, learned: req.learnAfter !== undefined };
    },
    async reportFailure(ctx, under, error, after) {
      calls.failure = { under, error, after };
      return node('error', `${ctx.turnId}:error`, under);
    },
    async reportStoppedEarly() {
      /* not stopped in these tests */
    },
    async recordLearning(ctx, parent, status, _steps, known) {
      calls.learned = status;
      calls.known = known;
      node('learning', `${ctx.turnId}:learning`, parent);
    },
    prepareTurn: (input) => prepareTurn(activities, input),
  };
  // What the worker was asked to run (prepareTurn's own steps and the answer's learning are called in-process).
  const called = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls.activities.push(name);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as TurnMock;
  return { activities: called, calls };
}

let counter = 0;
/** One turn to its end: its result, and its history. */
async function runRecordedTurn(activities: TurnMock, options: Pick<ChatTurnInput, 'stepExecution' | 'revision'>) {
  const taskQueue = `turn-${++counter}`;
  const input: ChatTurnInput = {
    sessionId: 's',
    turnId: `t${counter}`,
    userMessageId: 'u',
    content: 'what is 2,5 * 2',
    ...options,
  };
  return temporal.runWorker(taskQueue, activities, async () => {
    const handle = await temporal.env.client.workflow.start('chatTurn', {
      taskQueue,
      workflowId: `turn-${counter}`,
      args: [input],
    });
    const result: ChatTurnResult = await handle.result();
    return { result, history: (await handle.fetchHistory()).events ?? [] };
  });
}

async function runTurn(activities: TurnMock, stepExecution: TurnStepExecution = 'activities'): Promise<ChatTurnResult> {
  return (await runRecordedTurn(activities, { stepExecution })).result;
}

const REPAIRED_TURN = [
  'user_input user_input ← -',
  'model_selector model_selector ← user_input',
  'agent analyse ← model_selector',
  'plan plan ← analyse',
  'tool step-1 ← plan',
  'decision(replan) decision-1 ← step-1',
  'plan replan-1 ← decision-1 (replan)',
  'tool step-2 ← replan-1',
  'decision(answer) decision-2 ← step-2',
  'response response ← decision-2',
  'learning learning ← response',
];
const failsOnComma = (s: PlanStep) => (s.args.expression === '2,5 * 2' ? "calculator failed (error): Unexpected ','" : null);

test('a failing step is re-planned once: the repair runs, and the answer reports it without the failure', async () => {
  const { activities, calls } = mockActivities([calculatorStep('step-1', '2,5 * 2')], failsOnComma);
  const result = await runTurn(activities);
  expect(result.status).toBe('completed');
  expect(calls.nodes).toEqual(REPAIRED_TURN);
  expect(calls.answered).toEqual([
    {
      stepId: 'step-2',
      kind: 'tool',
      component: 'calculator',
      ok: true,
      output: { expression: '2.5 * 2', result: 1 },
      error: null,
    },
  ]);
});

test('a step that fails again after its one re-plan gives up: the error goes under the failed step, after the decision', async () => {
  const { activities, calls } = mockActivities(
    [calculatorStep('step-1', '2,5 / 0')],
    () => 'calculator failed (error): Division by zero',
  );
  const result = await runTurn(activities);
  expect(result.status).toBe('failed');
  expect(calls.nodes.slice(4)).toEqual([
    'tool step-1 ← plan',
    'decision(replan) decision-1 ← step-1',
    'plan replan-1 ← decision-1 (replan)',
    'tool step-2 ← replan-1',
    'decision(give_up) decision-2 ← step-2',
    'error error ← step-2',
    'learning learning ← error',
  ]);
  expect(calls.failure).toEqual({
    under: `t${counter}:step-2`,
    error: 'calculator failed (error): Division by zero',
    after: `t${counter}:decision-2`,
  });
  expect(calls.learned).toBe('failed');
  expect(calls.answered).toBeNull();
});

test('a re-plan with no repair answers with the steps that succeeded, the failure included', async () => {
  const plan = [
    { id: 'step-1', kind: 'tool' as const, component: 'unit_convert', args: { value: 1, from: 'km', to: 'm' }, reason: 'r' },
    calculatorStep('step-2', '1/0'),
  ];
  const { activities, calls } = mockActivities(plan, (s) =>
    s.component === 'calculator' ? 'calculator failed (error): Division by zero' : null,
  );
  expect((await runTurn(activities)).status).toBe('completed');
  expect(calls.nodes.slice(4)).toEqual([
    'tool step-1 ← plan',
    'decision(continue) decision-1 ← step-1',
    'tool step-2 ← decision-1',
    'decision(replan) decision-2 ← step-2',
    'plan replan-1 ← decision-2 (replan)',
    'decision(answer) decision-3 ← replan-1',
    'response response ← decision-3',
    'learning learning ← response',
  ]);
  expect(calls.answered!.map((o) => [o.component, o.ok])).toEqual([
    ['unit_convert', true],
    ['calculator', false],
  ]);
});

test(`the step limit ends a loop whose planner would go on: ${STEP_LIMIT} steps, then the answer`, async () => {
  const plan = Array.from({ length: STEP_LIMIT + 3 }, (_, i) => calculatorStep(`step-${i + 1}`, `${i}+1`));
  const seen: (string | null)[] = [];
  const { activities, calls } = mockActivities(
    plan,
    () => null,
    (input) => {
      seen.push(input.exhausted);
      // A planner that ignores the bound: the activity holds it to it (withinBounds); here the mock does.
      return input.exhausted ? { action: 'answer', reason: 'bound' } : { action: 'continue', reason: 'more' };
    },
  );
  expect((await runTurn(activities)).status).toBe('completed');
  expect(calls.answered).toHaveLength(STEP_LIMIT);
  expect(seen).toEqual([...Array(STEP_LIMIT - 1).fill(null), 'steps']);
});

test('the local path makes the same nodes with four activities fewer: the steps before the loop in one, learning inside the answer', async () => {
  const local = mockActivities([calculatorStep('step-1', '2,5 * 2')], failsOnComma);
  expect((await runTurn(local.activities, 'local')).status).toBe('completed');
  expect(local.calls.nodes).toEqual(REPAIRED_TURN);
  expect(local.calls.activities).toEqual([
    'prepareTurn',
    'runPlanStep',
    'decideNext',
    'replanSteps',
    'runPlanStep',
    'decideNext',
    'streamResponse',
  ]);
  const remote = mockActivities([calculatorStep('step-1', '2,5 * 2')], failsOnComma);
  expect((await runTurn(remote.activities, 'activities')).status).toBe('completed');
  expect(remote.calls.nodes).toEqual(REPAIRED_TURN);
  expect(remote.calls.activities).toHaveLength(local.calls.activities.length + 4);
});

test('a turn whose input says the current revision takes every change without a patch marker or a search-attribute upsert', async () => {
  const patchEvents = (history: Awaited<ReturnType<typeof runRecordedTurn>>['history']) =>
    history.filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES ||
        e.markerRecordedEventAttributes?.markerName === 'core_patch',
    ).length;
  const asked = mockActivities([calculatorStep('step-1', '2,5 * 2')], failsOnComma);
  const askedTurn = await runRecordedTurn(asked.activities, { stepExecution: 'local' });
  expect(patchEvents(askedTurn.history)).toBe(4); // a marker and a search-attribute upsert per change
  const told = mockActivities([calculatorStep('step-1', '2,5 * 2')], failsOnComma);
  const toldTurn = await runRecordedTurn(told.activities, { stepExecution: 'local', revision: CHAT_TURN_REVISION });
  expect(toldTurn.result.status).toBe('completed');
  expect(patchEvents(toldTurn.history)).toBe(0);
  expect(told.calls.nodes).toEqual(REPAIRED_TURN);
  expect(told.calls.activities).toEqual(asked.calls.activities);
  expect(toldTurn.history).toHaveLength(askedTurn.history.length - 4);
});

test('on the local path a step before the loop that fails hangs the error under its own node', async () => {
  const { activities, calls } = mockActivities([], () => null);
  const failing = {
    ...activities,
    planSteps: () => Promise.reject(ApplicationFailure.nonRetryable('the planner broke', 'ComponentFailed')),
    prepareTurn: (input: Parameters<Activities['prepareTurn']>[0]) =>
      prepareTurn({ ...activities, planSteps: failing.planSteps }, input),
  };
  expect((await runTurn(failing, 'local')).status).toBe('failed');
  expect(calls.failure).toEqual({ under: `t${counter}:plan`, error: 'the planner broke', after: undefined });
  expect(calls.nodes.slice(-2)).toEqual([`error error ← plan`, 'learning learning ← error']);
});

test('the workflow records the turn started at its own start and tells the learning step that start and the selected model, on both paths', async () => {
  const model = { provider: 'offline', model: 'm', offline: true };
  for (const stepExecution of ['local', 'activities'] as const) {
    const { activities, calls } = mockActivities([calculatorStep('step-1', '2,5 * 2')], failsOnComma);
    expect((await runTurn(activities, stepExecution)).status).toBe('completed');
    expect(new Date(calls.startedAt!).toISOString()).toBe(calls.startedAt);
    expect(calls.known).toEqual({ startedAt: calls.startedAt, model });
  }
  const gaveUp = mockActivities([calculatorStep('step-1', '1/0')], () => 'calculator failed (error): Division by zero');
  expect((await runTurn(gaveUp.activities)).status).toBe('failed');
  expect(gaveUp.calls.known).toEqual({ startedAt: gaveUp.calls.startedAt, model });
});

test('a turn that failed before its models were selected tells the learning step nothing: the step reads the turn', async () => {
  const { activities, calls } = mockActivities([], () => null);
  const failing = { ...activities, selectModel: () => Promise.reject(ApplicationFailure.nonRetryable('no models', 'Broken')) };
  expect((await runTurn(failing)).status).toBe('failed');
  expect(calls.startedAt).toBeDefined();
  expect(calls.known).toBeUndefined();
});
