import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { Activities } from '../../activities';
import type { AutonomyLevel } from '../../domain/enums';
import { GENERATED_NAME_TAKEN, type GenerateToolInput, type GenerateToolResult } from '../../domain/generation';
import {
  acceptGeneratedSuiteUpdate,
  approveGeneratedToolUpdate,
  generationStageQuery,
  rejectGeneratedToolUpdate,
} from '../../workflows/generationMessages';
import { recordHistoryFixture } from '../support/historyFixtures';
import { useTimeSkipping } from '../support/timeSkipping';

/**
 * generateTool along each of its ends, on Temporal's time-skipping test server (a week's wait
 * for a person passes in milliseconds), with the activities mocked by plain objects typed from
 * the real factory: the activities it calls in order, the decision it records and its result.
 */

type GenerationMock = Pick<
  Activities,
  | 'draftGeneratedTool'
  | 'recordDraftFailure'
  | 'testAcceptedSuite'
  | 'readAutonomyLevel'
  | 'promoteGeneratedTool'
  | 'recordGeneratedDecision'
  | 'exportGenerationTrace'
>;

interface Scenario {
  level?: AutonomyLevel;
  /** The model's reply could not become a draft; 'fails': drafting fails for good. */
  draft?: 'refused' | 'fails';
  /** Accepted cases the draft fails. */
  failing?: number;
  /** The accepted suite's run fails for good. */
  testFails?: boolean;
  /** Another component took the name before the promotion. */
  nameTaken?: boolean;
  /** This run's history becomes the generateTool replay fixture (when re-recording). */
  record?: boolean;
}

const CASES = [{ id: 'c1', input: { text: 'ab' }, expect: { equals: 'ba' }, holdout: false }];

function mockActivities(s: Scenario) {
  const calls: string[] = [];
  const decisions: { outcome: string; reason: string; decidedBy: string }[] = [];
  const activities: GenerationMock = {
    async draftGeneratedTool() {
      calls.push('draftGeneratedTool');
      if (s.draft === 'fails') throw ApplicationFailure.nonRetryable('the model is down');
      return s.draft === 'refused'
        ? { drafted: false, name: null, refusal: 'the reply has no code block' }
        : { drafted: true, name: 'reverse_text', refusal: null };
    },
    async recordDraftFailure(_input, error) {
      calls.push('recordDraftFailure');
      return { drafted: false, name: null, refusal: `drafting failed: ${error}` };
    },
    async testAcceptedSuite() {
      calls.push('testAcceptedSuite');
      if (s.testFails) throw ApplicationFailure.nonRetryable('the sandbox is gone');
      const failing = s.failing ?? 0;
      return { passed: 5 - failing, total: 5, failures: Array.from({ length: failing }, (_, i) => `c${i}: wrong`) };
    },
    async readAutonomyLevel() {
      calls.push('readAutonomyLevel');
      return s.level ?? 'full';
    },
    async promoteGeneratedTool() {
      calls.push('promoteGeneratedTool');
      if (s.nameTaken)
        throw ApplicationFailure.create({
          message: 'a component named reverse_text already exists',
          type: GENERATED_NAME_TAKEN,
          nonRetryable: true,
        });
      return 'v1';
    },
    async recordGeneratedDecision(input) {
      calls.push('recordGeneratedDecision');
      decisions.push({ outcome: input.outcome, reason: input.reason, decidedBy: input.decidedBy });
    },
    async exportGenerationTrace() {
      calls.push('exportGenerationTrace');
    },
  };
  return { activities, calls, decisions };
}

const temporal = useTimeSkipping();
let counter = 0;

/** Runs one generation; `person` acts on it while it runs (before its result is awaited). */
async function run(s: Scenario, person?: (h: WorkflowHandle) => Promise<void>) {
  const { activities, calls, decisions } = mockActivities(s);
  const taskQueue = `generate-${++counter}`;
  const input: GenerateToolInput = {
    generationId: `g${counter}`,
    request: 'reverse a text',
    examples: [],
    promptedBy: { kind: 'person', detail: 'ada' },
  };
  const result = await temporal.runWorker(taskQueue, activities, async () => {
    const handle = await temporal.env.client.workflow.start('generateTool', {
      taskQueue,
      workflowId: `generate-${counter}`,
      args: [input],
    });
    await person?.(handle);
    const ended = await (handle.result() as Promise<GenerateToolResult>).catch((err: unknown) => ({ failed: String(err) }));
    if (s.record) await recordHistoryFixture(handle, 'generateTool');
    return ended;
  });
  return { result, calls, decisions };
}

async function atStage(handle: WorkflowHandle, stage: string) {
  for (let i = 0; i < 400; i++) {
    if ((await handle.query(generationStageQuery)) === stage) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never reached ${stage}`);
}
const acceptSuite = async (h: WorkflowHandle) => {
  await atStage(h, 'awaiting_suite');
  await h.executeUpdate(acceptGeneratedSuiteUpdate, { args: [{ by: 'ada', cases: CASES }] });
};
const answer = (approve: boolean) => async (h: WorkflowHandle) => {
  await acceptSuite(h);
  await atStage(h, 'awaiting_approval');
  await h.executeUpdate(approve ? approveGeneratedToolUpdate : rejectGeneratedToolUpdate, {
    args: [{ by: 'bob', reason: approve ? null : 'not this one' }],
  });
};

/** How every generation ends, however it ends: its decision recorded, then its trace sent. */
const DECIDED = ['recordGeneratedDecision', 'exportGenerationTrace'];
const TESTED = ['draftGeneratedTool', 'testAcceptedSuite'];

test.each<[string, Scenario, ((h: WorkflowHandle) => Promise<void>) | undefined, string[], object]>([
  [
    'a reply that is no draft is refused at once',
    { draft: 'refused' },
    undefined,
    ['draftGeneratedTool', ...DECIDED],
    { outcome: 'refused', reason: 'no draft: the reply has no code block', decidedBy: 'system' },
  ],
  [
    'a suite nobody accepts expires after a week',
    {},
    undefined,
    ['draftGeneratedTool', ...DECIDED],
    { outcome: 'expired', reason: 'nobody accepted the suite within 7 days', decidedBy: 'system' },
  ],
  [
    'a draft that fails accepted cases is refused, with the cases',
    { failing: 2 },
    acceptSuite,
    [...TESTED, ...DECIDED],
    { outcome: 'refused', reason: 'the draft fails 2 of 5 accepted cases: c0: wrong; c1: wrong', decidedBy: 'system' },
  ],
  [
    'at full the system promotes a draft that passes',
    { level: 'full' },
    acceptSuite,
    [...TESTED, 'readAutonomyLevel', 'promoteGeneratedTool', ...DECIDED],
    {
      outcome: 'promoted',
      reason: 'passes all 5 accepted cases; promoted by the system at autonomy level full',
      decidedBy: 'system',
    },
  ],
  [
    'at full a name taken meanwhile refuses the promotion',
    { level: 'full', nameTaken: true },
    acceptSuite,
    [...TESTED, 'readAutonomyLevel', 'promoteGeneratedTool', ...DECIDED],
    { outcome: 'refused', reason: 'not promoted: a component named reverse_text already exists', decidedBy: 'system' },
  ],
  [
    'below full a person approves, and the tool is promoted',
    { level: 'semi_auto', record: true },
    answer(true),
    [...TESTED, 'readAutonomyLevel', 'promoteGeneratedTool', ...DECIDED],
    { outcome: 'promoted', reason: 'passes all 5 accepted cases; approved at autonomy level semi_auto', decidedBy: 'bob' },
  ],
  [
    'below full a name taken meanwhile refuses the approved promotion',
    { level: 'assisted', nameTaken: true },
    answer(true),
    [...TESTED, 'readAutonomyLevel', 'promoteGeneratedTool', ...DECIDED],
    { outcome: 'refused', reason: 'not promoted: a component named reverse_text already exists', decidedBy: 'system' },
  ],
  [
    'below full a person rejects it',
    { level: 'manual' },
    answer(false),
    [...TESTED, 'readAutonomyLevel', ...DECIDED],
    { outcome: 'rejected', reason: 'not this one', decidedBy: 'bob' },
  ],
  [
    'below full an approval nobody gives expires after a week',
    { level: 'manual' },
    acceptSuite,
    [...TESTED, 'readAutonomyLevel', ...DECIDED],
    { outcome: 'expired', reason: 'nobody approved it within 7 days', decidedBy: 'system' },
  ],
])('%s', async (_what, scenario, person, expectedCalls, decision) => {
  const { result, calls, decisions } = await run(scenario, person);
  expect(calls).toEqual(expectedCalls);
  expect(decisions).toEqual([decision]);
  expect(result).toEqual({ outcome: (decision as { outcome: string }).outcome, reason: (decision as { reason: string }).reason });
});

test.each<[string, Scenario, ((h: WorkflowHandle) => Promise<void>) | undefined, string[], string]>([
  [
    'drafting that fails for good',
    { draft: 'fails' },
    undefined,
    ['draftGeneratedTool', 'recordDraftFailure', ...DECIDED],
    'no draft: drafting failed: ',
  ],
  [
    'a test run that fails for good',
    { testFails: true },
    acceptSuite,
    [...TESTED, ...DECIDED],
    'the generation failed while testing: ',
  ],
])(
  '%s is recorded as a refusal with its cause, and the workflow still fails',
  async (_what, scenario, person, expectedCalls, why) => {
    const { result, calls, decisions } = await run(scenario, person);
    expect(calls).toEqual(expectedCalls);
    expect(decisions).toEqual([{ outcome: 'refused', reason: expect.stringContaining(why), decidedBy: 'system' }]);
    expect(result).toEqual({ failed: expect.stringMatching(/Workflow execution failed/) });
  },
);
