import { OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/activity';
import path from 'node:path';
import { GENERATED_NAME_TAKEN, type AcceptedCase, type GeneratedTestRun, type GenerateToolInput } from '../../domain/generation';
import type {
  DraftOutcome,
  GeneratedDecisionInput,
  GenerationAct,
  SuiteTestInput,
  SuiteTestResult,
} from '../../domain/evolutionContracts';
import { SuiteFile } from '../../domain/suite';
import { draftManifestRefusal, parseDraftedSuite } from '../../evolution/generatedToolDraft';
import type { LoadedSuite } from '../../evaluation/suite';
import { openAiSettingsOf } from '../../model/modelSettings';
import { readToolDraftReply, TOOL_DRAFT_SYSTEM, toolDraftUserMessage } from '../../model/toolDraft';
import { codeHashOf, versionOfCode, type LoadedComponent } from '../../registry/registry';
import { readIfPresent } from '../../registry/readIfPresent';
import { syncComponentFile } from '../../registry/versionControl';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { emitMetaEvent } from '../../store/emit';
import { getComponent, getVersion, listComponentDocs } from '../../store/evolutionStore';
import {
  getGeneratedDraft,
  getSuiteAcceptance,
  insertGeneratedDecision,
  insertGeneratedDraft,
  insertSuiteAcceptance,
  type GeneratedDraftDoc,
} from '../../store/generatedStore';
import { readModelSettings } from '../../store/settingsStore';
import type { ActivityDeps } from '../deps';
import { askModelForFile, compileDraft } from '../modelDraft';
import { runSuiteCases } from '../suiteRunner';
import { stepOfThisRun } from '../runStepSpecs';
import { childStep, traceModelCall, traceStep } from '../../telemetry/runStepTrace';
import {
  draftAttributes,
  generatedDecisionAttributes,
  suiteRunAttributes,
  suiteTestAttributes,
} from '../../telemetry/runStepAttributes';

/** The generation's draft, as its trace shows it (the model's call and the drafted suite's run are steps within). */
const draftStep = () => stepOfThisRun({ key: 'draft', name: 'draft tool', kind: OpenInferenceSpanKind.CHAIN });

type DraftFields = Omit<GeneratedDraftDoc, '_id' | 'request' | 'examples' | 'prompted_by' | 'created_at'>;

/** A draft that is not one: what was asked of `model`, and why nothing came of it. */
const refusedDraft = (model: string | null, refusal: string): DraftFields => ({
  model,
  name: null,
  version: null,
  code: null,
  proposed_suite: null,
  proposed_run: null,
  refusal,
});

/** A suite held in memory (not a file in the suites folder until the tool is promoted). */
function suiteOf(name: string, cases: AcceptedCase[]): LoadedSuite {
  const file = SuiteFile.parse({ component: name, cases });
  return { ...file, name: `${name} (generated)`, hash: codeHashOf(JSON.stringify(file)) };
}

/** Where a generated tool's file goes, relative to the components folder. */
const toolFilePath = (name: string) => `tools/${name}.js`;
/** The suite file a promoted tool gets: its accepted cases. */
const suiteTextOf = (name: string, cases: AcceptedCase[]) => `${JSON.stringify({ component: name, cases }, null, 2)}\n`;

export function createToolGenerationActivities(deps: ActivityDeps) {
  const { db, env } = deps;

  /**
   * What a generated tool named `name` would write over: a component of that name, its file or
   * its suite, whoever made them (another generation that proposed the same name included).
   * `own` is the promoting draft's code and suite: a promotion retried after its first attempt
   * finds those and goes on. Null when the name is free.
   */
  async function nameClash(name: string, own: { code: string; suiteText: string } | null): Promise<string | null> {
    if ((await getComponent(db, name)) && !(own && (await getVersion(db, name, versionOfCode(own.code)))))
      return `a component named ${name} already exists`;
    const file = await readIfPresent(path.join(env.EVOSCOPE_COMPONENTS_DIR, ...toolFilePath(name).split('/')));
    if (file !== null && file !== own?.code) return `the components folder already has ${toolFilePath(name)}`;
    const suite = await readIfPresent(path.join(env.EVOSCOPE_SUITES_DIR, `${name}.json`));
    if (suite !== null && suite !== own?.suiteText) return `a suite named ${name}.json already exists`;
    return null;
  }

  const run = async (name: string, code: string, cases: AcceptedCase[]): Promise<GeneratedTestRun> => {
    const suite = suiteOf(name, cases);
    const { cases: results, summary } = await runSuiteCases({
      code,
      component: name,
      version: versionOfCode(code),
      suite,
      cases: suite.cases,
      repetitions: 1,
      corpus: deps.corpus,
    });
    return { cases: results, summary };
  };

  /** Asks the configured model for the tool and its suite; what compiles is run in the sandbox and recorded as a draft. */
  async function draft(input: GenerateToolInput): Promise<DraftFields> {
    const settings = openAiSettingsOf(await readModelSettings(db, env));
    const refused = (refusal: string) => refusedDraft(settings?.model ?? null, refusal);
    if (!settings)
      return refused(
        "no model is configured: a generated tool takes one (LLM_BASE_URL, the console's model settings, or EVOSCOPE_LOCAL_MODEL=1)",
      );
    const reply = readToolDraftReply(
      await traceModelCall(deps, draftStep, settings, (onUsage) =>
        askModelForFile(settings, TOOL_DRAFT_SYSTEM, toolDraftUserMessage(input.request, input.examples), onUsage),
      ),
    );
    if (!reply.ok) return refused(reply.reason);
    const compiled = await compileDraft(reply.code);
    if ('error' in compiled) return refused(`the draft does not compile: ${compiled.error}`);
    const notATool = draftManifestRefusal(compiled.manifest);
    if (notATool) return refused(notATool);
    const name = compiled.manifest.name;
    const clash = await nameClash(name, null);
    if (clash) return refused(clash);
    const cases = parseDraftedSuite(name, reply.suiteText);
    if (typeof cases === 'string') return refused(cases);
    return {
      model: settings.model,
      name,
      version: versionOfCode(reply.code),
      code: reply.code,
      proposed_suite: cases,
      proposed_run: await traceStep(
        deps,
        () => {
          const parent = draftStep();
          return parent && childStep(parent, 'suite', `suite run: ${name} (drafted cases)`, OpenInferenceSpanKind.EVALUATOR);
        },
        () => run(name, reply.code, cases),
        (tested) => suiteRunAttributes(versionOfCode(reply.code), tested.summary),
      ),
      refusal: null,
    };
  }

  /** Records the generation's draft once (a retry finds the one stored) and announces the component it drafted. */
  async function recordDraft(input: GenerateToolInput, fields: () => Promise<DraftFields>): Promise<DraftOutcome> {
    const existing = await getGeneratedDraft(db, input.generationId);
    const doc = existing ?? {
      _id: input.generationId,
      request: input.request,
      examples: input.examples,
      prompted_by: input.promptedBy,
      created_at: new Date().toISOString(),
      ...(await fields()),
    };
    if (!existing && (await insertGeneratedDraft(db, doc)) && doc.name && doc.version) {
      await emitMetaEvent(db, `component_generated:draft:${input.generationId}`, {
        type: 'component_generated',
        component: doc.name,
        version: doc.version,
        component_type: 'tool',
        created_by: { kind: 'generated', detail: `${input.promptedBy.kind} ${input.promptedBy.detail}: ${input.request}` },
      });
    }
    const stored = existing ?? (await getGeneratedDraft(db, input.generationId))!;
    return { drafted: stored.name !== null, name: stored.name, refusal: stored.refusal };
  }

  return {
    draftGeneratedTool: (input: GenerateToolInput): Promise<DraftOutcome> =>
      traceStep(deps, draftStep, () => recordDraft(input, () => draft(input)), draftAttributes),

    /** Drafting gave up (the model kept failing): recorded as a refusal, so the generation does not stay "drafting". */
    async recordDraftFailure(input: GenerateToolInput, error: string): Promise<DraftOutcome> {
      const model = openAiSettingsOf(await readModelSettings(db, env))?.model ?? null;
      return recordDraft(input, () => Promise.resolve(refusedDraft(model, `drafting failed: ${error}`)));
    },

    /** The person's accepted suite, run in the sandbox against the draft; recorded once with its result. */
    testAcceptedSuite: (input: SuiteTestInput): Promise<SuiteTestResult> =>
      traceStep(
        deps,
        () => stepOfThisRun({ key: 'test', name: 'suite run: accepted cases', kind: OpenInferenceSpanKind.EVALUATOR }),
        () => testAcceptedSuite(input),
        suiteTestAttributes,
      ),

    /** Registers the tool as a new component (its first version, made by the generation) and writes its file and accepted suite. */
    promoteGeneratedTool: (input: GenerationAct): Promise<string> =>
      traceStep(
        deps,
        () => stepOfThisRun({ key: 'promote', name: 'promote generated tool', kind: OpenInferenceSpanKind.TOOL }),
        () => promoteGeneratedTool(input),
        (version) => ({ 'evoscope.change.kind': 'promote', 'evoscope.change.to_version': version }),
      ),

    recordGeneratedDecision: (input: GeneratedDecisionInput): Promise<void> =>
      traceStep(
        deps,
        () => stepOfThisRun({ key: 'decision', name: `decision: ${input.outcome}`, kind: OpenInferenceSpanKind.CHAIN }),
        () => recordGeneratedDecision(input),
        () => generatedDecisionAttributes(input),
      ),
  };

  async function testAcceptedSuite(input: SuiteTestInput): Promise<SuiteTestResult> {
    const doc = (await getGeneratedDraft(db, input.generationId))!;
    const recorded = await getSuiteAcceptance(db, input.generationId);
    const acceptance = recorded ?? {
      _id: input.generationId,
      accepted_by: input.by,
      cases: input.cases,
      edited: JSON.stringify(input.cases) !== JSON.stringify(doc.proposed_suite),
      run: await run(doc.name!, doc.code!, input.cases),
      at: new Date().toISOString(),
    };
    if (!recorded) await insertSuiteAcceptance(db, acceptance);
    const results = ((await getSuiteAcceptance(db, input.generationId)) ?? acceptance).run.cases;
    return {
      passed: results.filter((c) => c.passed).length,
      total: results.length,
      failures: results.filter((c) => !c.passed).map((c) => `${c.case_id}: ${c.failure}`),
    };
  }

  async function promoteGeneratedTool(input: GenerationAct): Promise<string> {
    const doc = (await getGeneratedDraft(db, input.generationId))!;
    const acceptance = (await getSuiteAcceptance(db, input.generationId))!;
    const name = doc.name!;
    const code = doc.code!;
    const file_path = toolFilePath(name);
    const suiteText = suiteTextOf(name, acceptance.cases);
    // Checked again here: a tool promoted since this one was drafted may have taken the name.
    const clash = await nameClash(name, { code, suiteText });
    if (clash) throw ApplicationFailure.create({ message: clash, type: GENERATED_NAME_TAKEN, nonRetryable: true });
    const component: LoadedComponent = {
      name,
      manifest: await readComponentManifest(code),
      code,
      code_hash: codeHashOf(code),
      version: versionOfCode(code),
      file_path,
    };
    const names = (await listComponentDocs(db)).map((c) => c._id);
    await syncComponentFile(
      db,
      component,
      {
        kind: 'generated',
        detail: `${doc.prompted_by.kind} ${doc.prompted_by.detail}; suite accepted by ${acceptance.accepted_by}; promoted by ${input.by}`,
      },
      [...names, name],
    );
    // The suite first: the watcher may load the component the moment its file appears.
    await writeAtomically(path.join(env.EVOSCOPE_SUITES_DIR, `${name}.json`), suiteText);
    await writeAtomically(path.join(env.EVOSCOPE_COMPONENTS_DIR, file_path), code);
    return component.version;
  }

  async function recordGeneratedDecision(input: GeneratedDecisionInput): Promise<void> {
    await insertGeneratedDecision(db, {
      _id: input.generationId,
      outcome: input.outcome,
      reason: input.reason,
      decided_by: input.decidedBy,
      at: new Date().toISOString(),
    });
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.evoscope-${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, file);
}
