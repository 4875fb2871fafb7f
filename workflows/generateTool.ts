import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DraftOutcome } from '../domain/evolutionContracts';
import {
  GENERATED_NAME_TAKEN,
  type AcceptSuiteInput,
  type GeneratedAnswerInput,
  type GenerateToolInput,
  type GenerateToolResult,
  type GenerationOutcome,
  type GenerationStage,
} from '../domain/generation';
import {
  acceptGeneratedSuiteUpdate,
  approveGeneratedToolUpdate,
  generationRequestQuery,
  generationStageQuery,
  rejectGeneratedToolUpdate,
} from './generationMessages';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { failureText } from './failureText';

const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.evolutionStep);
const drafting = proxyActivities<Activities>(ACTIVITY_PROFILES.drafting);
const testing = proxyActivities<Activities>(ACTIVITY_PROFILES.proposing);

/** Marks generations that record a drafting failure as their refusal (before it, they failed with no record). */
const RECORDS_DRAFTING_FAILURE = 'generation-records-drafting-failure';
/** Marks generations that record any later failure or cancellation as their refusal, with the reason. */
const RECORDS_EVERY_FAILURE = 'generation-records-every-failure';

/** How long a draft waits for a person (to accept its suite, then to approve it) before it expires. */
const WAIT_FOR_PERSON = '7 days';

/**
 * A generated tool: a configured model drafts the tool and a suite, the draft is compiled and
 * run in the sandbox on that suite and recorded; then a person must accept the suite (and may
 * edit it) — a generated suite is not independent evidence — at every autonomy level. The
 * accepted suite is run against the draft: a draft that fails any accepted case is refused.
 * One that passes is promoted by the system at `full`, and waits for a person's approval
 * below it (new code is critical at `semi_auto`, as rewrites are). A generation never writes
 * over a component, file or suite: a name taken is refused at drafting, and again at promotion
 * (another tool that proposed the same name may have been promoted in between).
 */
export async function generateTool(input: GenerateToolInput): Promise<GenerateToolResult> {
  let stage: GenerationStage = 'drafting';
  // What people sent, set by the update handlers (a holder object: TypeScript would narrow plain lets to null).
  const person: { suite: AcceptSuiteInput | null; answer: (GeneratedAnswerInput & { approve: boolean }) | null } = {
    suite: null,
    answer: null,
  };
  const onlyAt = (expected: GenerationStage) => (_input: unknown) => {
    if (stage !== expected)
      throw new Error(`the generated tool is ${stage.replace('_', ' ')}, not ${expected.replace('_', ' ')}`);
  };
  setHandler(acceptGeneratedSuiteUpdate, (a) => void (person.suite = a), { validator: onlyAt('awaiting_suite') });
  setHandler(approveGeneratedToolUpdate, (a) => void (person.answer = { ...a, approve: true }), {
    validator: onlyAt('awaiting_approval'),
  });
  setHandler(rejectGeneratedToolUpdate, (a) => void (person.answer = { ...a, approve: false }), {
    validator: onlyAt('awaiting_approval'),
  });
  setHandler(generationStageQuery, () => stage);
  setHandler(generationRequestQuery, () => input);

  const decide = async (outcome: GenerationOutcome, reason: string, decidedBy: string): Promise<GenerateToolResult> => {
    await steps.recordGeneratedDecision({ generationId: input.generationId, outcome, reason, decidedBy });
    stage = 'done';
    return { outcome, reason };
  };

  let draft: DraftOutcome;
  try {
    draft = await drafting.draftGeneratedTool(input);
  } catch (err) {
    if (!patched(RECORDS_DRAFTING_FAILURE)) throw err;
    // Recorded as a refusal (the console shows why, not "drafting" for ever); the workflow still fails, for the Temporal UI.
    draft = await steps.recordDraftFailure(input, failureText(err));
    await decide('refused', `no draft: ${draft.refusal}`, 'system');
    throw err;
  }
  if (!draft.drafted) return decide('refused', `no draft: ${draft.refusal}`, 'system');

  /** A person accepts the suite, the draft is tested on it, then promoted (by the system or a person). */
  async function carryOut(): Promise<GenerateToolResult> {
    stage = 'awaiting_suite';
    if (!(await condition(() => person.suite !== null, WAIT_FOR_PERSON)))
      return decide('expired', `nobody accepted the suite within ${WAIT_FOR_PERSON}`, 'system');
    const suite = person.suite!;
    stage = 'testing';
    const test = await testing.testAcceptedSuite({ generationId: input.generationId, by: suite.by, cases: suite.cases });
    if (test.passed < test.total) {
      return decide(
        'refused',
        `the draft fails ${test.total - test.passed} of ${test.total} accepted cases: ${test.failures.slice(0, 3).join('; ')}`,
        'system',
      );
    }

    const level = await steps.readAutonomyLevel();
    if (level !== 'full') {
      stage = 'awaiting_approval';
      if (!(await condition(() => person.answer !== null, WAIT_FOR_PERSON)))
        return decide('expired', `nobody approved it within ${WAIT_FOR_PERSON}`, 'system');
      const given = person.answer!;
      if (!given.approve) return decide('rejected', given.reason ?? 'rejected by a person', given.by);
      const clash = await promote(input.generationId, given.by);
      if (clash) return decide('refused', `not promoted: ${clash}`, 'system');
      return decide('promoted', `passes all ${test.total} accepted cases; approved at autonomy level ${level}`, given.by);
    }
    const clash = await promote(input.generationId, 'system');
    if (clash) return decide('refused', `not promoted: ${clash}`, 'system');
    return decide('promoted', `passes all ${test.total} accepted cases; promoted by the system at autonomy level full`, 'system');
  }

  try {
    return await carryOut();
  } catch (err) {
    // Before this patch a generation that failed (or was cancelled) after drafting stayed at its stage for ever.
    if (!patched(RECORDS_EVERY_FAILURE)) throw err;
    await CancellationScope.nonCancellable(() =>
      decide('refused', `the generation failed while ${stage.replace('_', ' ')}: ${failureText(err)}`, 'system'),
    );
    throw err;
  }
}

/** Promotes the tool; what its name clashes with (another component, file or suite) when that refused it, else null. */
async function promote(generationId: string, by: string): Promise<string | null> {
  try {
    await steps.promoteGeneratedTool({ generationId, by });
    return null;
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : null;
    if (cause instanceof ApplicationFailure && cause.type === GENERATED_NAME_TAKEN) return cause.message;
    throw err;
  }
}
