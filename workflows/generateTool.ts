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
import type { AutonomyLevel } from '../domain/enums';
import type { DraftOutcome } from '../domain/evolutionContracts';
import type {
  AcceptSuiteInput,
  GeneratedAnswerInput,
  GenerateToolInput,
  GenerateToolResult,
  GenerationOutcome,
  GenerationStage,
} from '../domain/generation';
import { GENERATED_NAME_TAKEN } from '../domain/generationWorkflowNames';
import {
  acceptGeneratedSuiteUpdate,
  approveGeneratedToolUpdate,
  generationRequestQuery,
  generationStageQuery,
  rejectGeneratedToolUpdate,
} from './generationMessages';
import { ACTIVITY_PROFILES } from './activityProfiles';
import { thenExportTrace } from './thenExportTrace';
import { failureText } from './failureText';

const steps = proxyActivities<Activities>(ACTIVITY_PROFILES.evolutionStep);
const drafting = proxyActivities<Activities>(ACTIVITY_PROFILES.drafting);
const testing = proxyActivities<Activities>(ACTIVITY_PROFILES.proposing);

/** Marks generations that record a drafting failure as their refusal (before it, they failed with no record). */
const RECORDS_DRAFTING_FAILURE = 'generation-records-drafting-failure';
/** Marks generations that record any later failure or cancellation as their refusal, with the reason. */
const RECORDS_EVERY_FAILURE = 'generation-records-every-failure';
/** Marks generations that send their trace when they end, however they end. */
const EXPORTS_TRACE = 'generation-exports-trace';

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
 * (another tool that proposed the same name may have been promoted in between). Its last step
 * sends its trace (nothing when tracing is off).
 */
export async function generateTool(input: GenerateToolInput): Promise<GenerateToolResult> {
  return thenExportTrace(EXPORTS_TRACE, input.generationId, steps.exportGenerationTrace, () => generate(input));
}

async function generate(input: GenerateToolInput): Promise<GenerateToolResult> {
  const g: Generation = { input, stage: 'drafting', suite: null, answer: null };
  listenToPeople(g);
  const draft = await draftOrRecordFailure(g);
  if (!draft.drafted) return decide(g, bySystem('refused', `no draft: ${draft.refusal}`));
  try {
    return await decide(g, await carryOut(g));
  } catch (err) {
    // Before this patch a generation that failed (or was cancelled) after drafting stayed at its stage for ever.
    if (!patched(RECORDS_EVERY_FAILURE)) throw err;
    await CancellationScope.nonCancellable(() =>
      decide(g, bySystem('refused', `the generation failed while ${g.stage.replace('_', ' ')}: ${failureText(err)}`)),
    );
    throw err;
  }
}

/** What one generation knows as it goes: its stage (queried, and checked by the updates' validators) and what people sent. */
interface Generation {
  input: GenerateToolInput;
  stage: GenerationStage;
  suite: AcceptSuiteInput | null;
  answer: (GeneratedAnswerInput & { approve: boolean }) | null;
}

/** How a generation ends: the decision it records, whose outcome and reason are also its result. */
interface Ending {
  outcome: GenerationOutcome;
  reason: string;
  decidedBy: string;
}

/** Who let a tested draft be promoted, and how the promotion's reason says so. */
interface Approval {
  by: string;
  how: string;
}

const bySystem = (outcome: GenerationOutcome, reason: string): Ending => ({ outcome, reason, decidedBy: 'system' });

/** The updates a person sends, each accepted only at its stage, and the queries the API reads. */
function listenToPeople(g: Generation): void {
  const onlyAt = (expected: GenerationStage) => (_input: unknown) => {
    if (g.stage !== expected)
      throw new Error(`the generated tool is ${g.stage.replace('_', ' ')}, not ${expected.replace('_', ' ')}`);
  };
  setHandler(acceptGeneratedSuiteUpdate, (a) => void (g.suite = a), { validator: onlyAt('awaiting_suite') });
  setHandler(approveGeneratedToolUpdate, (a) => void (g.answer = { ...a, approve: true }), {
    validator: onlyAt('awaiting_approval'),
  });
  setHandler(rejectGeneratedToolUpdate, (a) => void (g.answer = { ...a, approve: false }), {
    validator: onlyAt('awaiting_approval'),
  });
  setHandler(generationStageQuery, () => g.stage);
  setHandler(generationRequestQuery, () => g.input);
}

/** Records the ending; from then on the generation is done. */
async function decide(g: Generation, ending: Ending): Promise<GenerateToolResult> {
  await steps.recordGeneratedDecision({ generationId: g.input.generationId, ...ending });
  g.stage = 'done';
  return { outcome: ending.outcome, reason: ending.reason };
}

/** The model's draft; a drafting failure is recorded as a refusal (the console shows why, not "drafting" for ever) and still fails the workflow, for the Temporal UI. */
async function draftOrRecordFailure(g: Generation): Promise<DraftOutcome> {
  try {
    return await drafting.draftGeneratedTool(g.input);
  } catch (err) {
    if (!patched(RECORDS_DRAFTING_FAILURE)) throw err;
    const draft = await steps.recordDraftFailure(g.input, failureText(err));
    await decide(g, bySystem('refused', `no draft: ${draft.refusal}`));
    throw err;
  }
}

/** A person accepts the suite, the draft is tested on it, then promoted (by the system or a person). */
async function carryOut(g: Generation): Promise<Ending> {
  const suite = await fromPerson(g, 'awaiting_suite', () => g.suite);
  if (!suite) return bySystem('expired', `nobody accepted the suite within ${WAIT_FOR_PERSON}`);
  g.stage = 'testing';
  const test = await testing.testAcceptedSuite({ generationId: g.input.generationId, by: suite.by, cases: suite.cases });
  if (test.passed < test.total)
    return bySystem(
      'refused',
      `the draft fails ${test.total - test.passed} of ${test.total} accepted cases: ${test.failures.slice(0, 3).join('; ')}`,
    );
  const level = await steps.readAutonomyLevel();
  const approval: Approval | Ending =
    level === 'full' ? { by: 'system', how: 'promoted by the system at autonomy level full' } : await approvalBelowFull(g, level);
  if ('outcome' in approval) return approval;
  const clash = await promote(g.input.generationId, approval.by);
  if (clash) return bySystem('refused', `not promoted: ${clash}`);
  return { outcome: 'promoted', reason: `passes all ${test.total} accepted cases; ${approval.how}`, decidedBy: approval.by };
}

/** Below full autonomy (new code is critical at semi_auto, as rewrites are) a person approves, or the generation ends. */
async function approvalBelowFull(g: Generation, level: AutonomyLevel): Promise<Approval | Ending> {
  const given = await fromPerson(g, 'awaiting_approval', () => g.answer);
  if (!given) return bySystem('expired', `nobody approved it within ${WAIT_FOR_PERSON}`);
  if (!given.approve) return { outcome: 'rejected', reason: given.reason ?? 'rejected by a person', decidedBy: given.by };
  return { by: given.by, how: `approved at autonomy level ${level}` };
}

/** At `stage`, waits up to WAIT_FOR_PERSON for what a person sends; null when nobody did. */
async function fromPerson<T>(g: Generation, stage: GenerationStage, sent: () => T | null): Promise<T | null> {
  g.stage = stage;
  return (await condition(() => sent() !== null, WAIT_FOR_PERSON)) ? sent() : null;
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
