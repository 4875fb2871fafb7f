import { OpenInferenceSpanKind } from '@arizeai/openinference-semantic-conventions';
import { codeHashOf, versionOfCode, type LoadedComponent } from '../../registry/registry';
import { loadComponentSuite, loadComponentSuiteAndTaught } from '../../evaluation/componentSuite';
import type { TaughtCase } from '../../domain/teaching';
import { bestCandidate, bestMutation } from '../../evolution/bestMutation';
import {
  failingRequestOf,
  induceLexiconEdits,
  readLexicon,
  writeLexiconEdit,
  type FailingRequest,
  type Lexicon,
} from '../../evolution/lexiconInduction';
import type { ProposeInput, Proposal } from '../../domain/evolutionContracts';
import type { SuiteCase } from '../../domain/suite';
import { chooseOfflineCandidate } from '../../evolution/offlineCandidate';
import { versionDocOf } from '../../registry/versionControl';
import { readComponentManifest } from '../../sandbox/readComponentManifest';
import { getVersion, insertVersionOnce, listComponentDocs } from '../../store/evolutionStore';
import { keyContentOfTaughtCases } from '../../store/teachingStore';
import { openAiSettingsOf } from '../../model/modelSettings';
import { readModelSettings } from '../../store/settingsStore';
import type { ActivityDeps } from '../deps';
import { codeBlockOf, REWRITE_SYSTEM, rewriteMismatch, rewriteUserMessage } from '../../evolution/rewritePrompt';
import { askModelForFile, compileDraft } from '../modelDraft';
import { requireVersion } from '../requireVersion';
import { runSuiteCases } from '../suiteRunner';
import { stepOfThisRun } from '../runStepSpecs';
import { traceModelCall, traceStep } from '../../telemetry/runStepTrace';
import { proposalAttributes } from '../../telemetry/runStepAttributes';

/** The evolution's search for a candidate, as its trace shows it (the model's call, if any, a step within). */
const proposeStep = () => stepOfThisRun({ key: 'propose', name: 'propose candidate', kind: OpenInferenceSpanKind.CHAIN });

export function createProposalActivities(deps: ActivityDeps) {
  const { db, env } = deps;

  async function storeCandidate(
    code: string,
    base: Awaited<ReturnType<typeof requireVersion>>,
    createdBy: { kind: 'experiment' | 'prompt'; detail: string },
  ) {
    const manifest = await readComponentManifest(code);
    const code_hash = codeHashOf(code);
    const loaded: LoadedComponent = {
      name: manifest.name,
      manifest,
      code,
      code_hash,
      version: versionOfCode(code),
      file_path: base.file_path,
    };
    const names = (await listComponentDocs(db)).map((d) => d._id);
    await insertVersionOnce(db, versionDocOf(loaded, [base.version], createdBy, 'candidate', names));
    return loaded.version;
  }

  /**
   * Lexicon edits induced from the failing training cases, with what each taught case's
   * teacher said the answer contains; the most supported first, at most EVOLUTION_CANDIDATES.
   */
  async function lessonsFrom(lexicon: Lexicon, taught: readonly TaughtCase[], failingCases: readonly SuiteCase[], seed: number) {
    const keyContents = await keyContentOfTaughtCases(db, taught);
    const failing = failingCases
      .map((c) => failingRequestOf(c, keyContents.get(c.id) ?? null))
      .filter((f): f is FailingRequest => f !== null);
    return induceLexiconEdits(lexicon, failing, seed, env.EVOLUTION_CANDIDATES);
  }

  const activities = {
    /** 'model' when an OpenAI-compatible endpoint is configured, else the offline operator. */
    async describeProposer(): Promise<'model' | 'offline'> {
      return openAiSettingsOf(await readModelSettings(db, env)) ? 'model' : 'offline';
    },

    /**
     * The offline operator: seeded mutations of the declared tunables' defaults and, for a
     * component that keeps a LEXICON, table entries induced from its failing training cases
     * (with what the people who taught them said the answer contains); each candidate scored on
     * the suite's training cases, the best one that beats the base becomes the candidate (a
     * lesson wins a tie). A candidate already refused (rejected, beaten or left to expire) is
     * not proposed again.
     */
    async proposeOfflineCandidate(input: ProposeInput): Promise<Proposal> {
      const base = await requireVersion(db, input.component, input.baseVersion);
      const { suite, taught } = await loadComponentSuiteAndTaught(db, env.EVOSCOPE_SUITES_DIR, input.component);
      const tunables = base.manifest.tunables ?? {};
      const lexicon = readLexicon(base.code);
      const none = (detail: string): Proposal => ({
        version: null,
        kind: 'tunables',
        detail,
        base_train_score: null,
        candidate_train_score: null,
        params: null,
      });
      if (!suite) return none(`no test suite for ${input.component}`);
      if (Object.keys(tunables).length === 0 && !lexicon)
        return none(`${input.component} declares no tunables to move and keeps no LEXICON`);
      const train = suite.cases.filter((c) => !c.holdout);
      const run = (code: string, version: string) =>
        runSuiteCases({ code, component: input.component, version, suite, cases: train, repetitions: 1, corpus: deps.corpus });
      const baseRun = await run(base.code, base.version);
      const baseScore = baseRun.summary.mean_score;
      const judge = {
        score: async (code: string) => (await run(code, 'mutant')).summary.mean_score,
        refused: async (code: string) => (await getVersion(db, input.component, versionOfCode(code)))?.status === 'rejected',
      };

      const edits = lexicon
        ? await lessonsFrom(
            lexicon,
            taught,
            train.filter((c) => baseRun.cases.some((r) => r.case_id === c.id && !r.passed)),
            input.seed,
          )
        : [];
      const lesson = await bestCandidate(
        edits.map((edit) => ({ change: edit, code: writeLexiconEdit(base.code, edit) })),
        judge,
      );
      const tuned = await bestMutation({
        code: base.code,
        tunables,
        params: base.params,
        seed: input.seed,
        count: env.EVOLUTION_CANDIDATES,
        ...judge,
      });

      const choice = chooseOfflineCandidate({
        lesson,
        tuned,
        baseScore,
        baseParams: base.params,
        tunables: Object.keys(tunables),
        lexiconEdits: lexicon ? edits.length : null,
      });
      if (!choice.candidate)
        return { ...none(choice.refusal), base_train_score: baseScore, candidate_train_score: choice.bestScore };
      const best = choice.candidate;
      const version = await storeCandidate(best.code, base, {
        kind: 'experiment',
        detail: `offline operator (seed ${input.seed}) for ${input.evolutionId}: ${best.detail}`,
      });
      return {
        version,
        kind: best.kind,
        detail: best.detail,
        base_train_score: baseScore,
        candidate_train_score: best.score,
        params: best.params,
      };
    },

    /**
     * A model-written rewrite from the current code, its failing training cases and the goal;
     * it must compile (a valid manifest, same name and type) before anything else sees it.
     */
    async proposeModelRewrite(input: ProposeInput): Promise<Proposal> {
      const settings = openAiSettingsOf(await readModelSettings(db, env));
      const base = await requireVersion(db, input.component, input.baseVersion);
      const none = (detail: string): Proposal => ({
        version: null,
        kind: 'rewrite',
        detail,
        base_train_score: null,
        candidate_train_score: null,
        params: null,
      });
      if (!settings) return none('no model configured');
      const suite = await loadComponentSuite(db, env.EVOSCOPE_SUITES_DIR, input.component);
      const failing = suite
        ? (
            await runSuiteCases({
              code: base.code,
              component: input.component,
              version: base.version,
              suite,
              cases: suite.cases.filter((c) => !c.holdout),
              repetitions: 1,
              corpus: deps.corpus,
            })
          ).cases
            .filter((c) => !c.passed)
            .map((c) => {
              const asked = suite.cases.find((s) => s.id === c.case_id);
              return { ...c, input: asked?.input, expect: asked?.expect };
            })
        : [];
      const text = await traceModelCall(deps, proposeStep, settings, (onUsage) =>
        askModelForFile(settings, REWRITE_SYSTEM, rewriteUserMessage(base.code, failing, input.goal), onUsage),
      );
      const code = codeBlockOf(text);
      if (!code.trim()) return none('the model returned no code block');
      const compiled = await compileDraft(code);
      if ('error' in compiled) return none(`the rewrite does not compile: ${compiled.error}`);
      const mismatch = rewriteMismatch(compiled.manifest, base.manifest);
      if (mismatch) return none(mismatch);
      const version = await storeCandidate(code, base, {
        kind: 'prompt',
        detail: `${settings.model}: ${input.goal ?? 'improve'}`,
      });
      if (version === base.version) return none('the rewrite is identical to the current version');
      return {
        version,
        kind: 'rewrite',
        detail: `rewritten by ${settings.model}`,
        base_train_score: null,
        candidate_train_score: null,
        params: null,
      };
    },
  };
  /** A proposal, by either operator, as the evolution's `propose` step. */
  const traced =
    (propose: (input: ProposeInput) => Promise<Proposal>) =>
    (input: ProposeInput): Promise<Proposal> =>
      traceStep(deps, proposeStep, () => propose(input), proposalAttributes);
  const proposeOfflineCandidate = traced((input) => activities.proposeOfflineCandidate(input));
  return {
    ...activities,
    proposeOfflineCandidate,
    proposeModelRewrite: traced((input) => activities.proposeModelRewrite(input)),
    // The offline operator's name before it proposed lexicon edits: evolutions started then call it so on replay.
    proposeTunableCandidate: proposeOfflineCandidate,
  };
}
