import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  AcceptInput,
  AnswerInput,
  GenerateInput,
  generationWorkflowId,
  type GenerationStarted,
  type AcceptedCase,
  type GenerateToolInput,
  type GeneratedToolView,
  type GenerationStage,
  type PromptedBy,
} from '../../domain/generation';
import { repeatedCaseId, SuiteFile } from '../../domain/suite';
import { openAiSettingsOf } from '../../model/modelSettings';
import { getPrediction } from '../../store/predictionStore';
import {
  getGeneratedDecision,
  getGeneratedDraft,
  getSuiteAcceptance,
  insertGeneratedDecision,
  listGeneratedTools,
  type GeneratedDraftDoc,
} from '../../store/generatedStore';
import { readModelSettings } from '../../store/settingsStore';
import {
  acceptGeneratedSuiteUpdate,
  approveGeneratedToolUpdate,
  generationRequestQuery,
  generationStageQuery,
  rejectGeneratedToolUpdate,
} from '../../workflows/generationMessages';
import type { ApiDeps } from '../deps';
import { Identifier } from '../../domain/identifier';
import { MAX_LIST_PAGE } from '../../domain/listPage';
import { ApiError, notFound, parseInput } from '../errors';
import { parseListPage, unknownCursor } from '../listPages';
import { workflowEnd } from './workflowEnd';
import { withinRunTrace } from '../../telemetry/traceContext';

/** Generated tools: a person's "make a tool that …" or the unserved-requests prediction, drafted by the configured model. */
export function createGenerationService(deps: ApiDeps) {
  const { db, env, temporal } = deps;

  /**
   * The workflow's stage. A generation records how it ended, failures included; one whose workflow
   * closed without a decision (terminated, or its history gone) is recorded here as refused, with
   * Temporal's status.
   */
  async function stageOf(draft: GeneratedDraftDoc, decided: boolean): Promise<GenerationStage> {
    if (decided) return 'done';
    const workflowId = generationWorkflowId(draft._id);
    const ended = await workflowEnd(temporal, workflowId, draft.created_at);
    if (ended === null) {
      try {
        return await temporal.workflow.getHandle(workflowId).query(generationStageQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 'drafting'; // not started yet
        throw err;
      }
    }
    await insertGeneratedDecision(db, {
      _id: draft._id,
      outcome: 'refused',
      reason: `the generation did not record how it ended: ${ended}`,
      decided_by: 'system',
      at: new Date().toISOString(),
    });
    return 'done';
  }

  const view = async (
    draft: GeneratedDraftDoc,
    acceptance: GeneratedToolView['acceptance'],
    decision: GeneratedToolView['decision'],
  ): Promise<GeneratedToolView> => {
    const { _id, ...rest } = draft;
    const stage = await stageOf(draft, decision !== null);
    if (stage !== 'done' || decision !== null) return { id: _id, stage, draft: rest, acceptance, decision };
    // The workflow records its decision before it says done: one recorded after the caller's read is there now.
    const [acceptanceNow, decisionNow] = await Promise.all([getSuiteAcceptance(db, _id), getGeneratedDecision(db, _id)]);
    return { id: _id, stage, draft: rest, acceptance: acceptanceNow, decision: decisionNow };
  };

  async function requireDraft(id: unknown): Promise<GeneratedDraftDoc> {
    const generationId = parseInput(Identifier, id);
    const draft = await getGeneratedDraft(db, generationId);
    if (draft) return draft;
    await drafting(generationId); // refused 404 when there is no such generation at all
    throw new ApiError(409, 'CONFLICT', `generated tool ${generationId} is still drafting`);
  }

  /** A generation whose model has not answered yet: its request, as its workflow was started with it. */
  async function drafting(generationId: string): Promise<GeneratedToolView> {
    const handle = temporal.workflow.getHandle(generationWorkflowId(generationId));
    let started: Date;
    let input: GenerateToolInput;
    try {
      started = (await handle.describe()).startTime;
      input = await handle.query(generationRequestQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(`generated tool ${generationId}`);
      throw err;
    }
    return {
      id: generationId,
      stage: 'drafting',
      draft: {
        request: input.request,
        examples: input.examples,
        prompted_by: input.promptedBy,
        model: null,
        name: null,
        version: null,
        code: null,
        proposed_suite: null,
        proposed_run: null,
        refusal: null,
        created_at: started.toISOString(),
      },
      acceptance: null,
      decision: null,
    };
  }

  async function update<T>(
    draft: GeneratedDraftDoc,
    send: (handle: ReturnType<typeof temporal.workflow.getHandle>) => Promise<T>,
  ) {
    try {
      await send(temporal.workflow.getHandle(generationWorkflowId(draft._id)));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new ApiError(409, 'CONFLICT', err.cause?.message ?? err.message);
      if (err instanceof WorkflowNotFoundError)
        throw new ApiError(409, 'CONFLICT', `generated tool ${draft._id} is no longer waiting`);
      throw err;
    }
    return self.get(draft._id);
  }

  const self = {
    /** Starts a generation; refused at once without a model, since only a model can draft. */
    async start(request: string, examples: string[], promptedBy: PromptedBy): Promise<GenerationStarted> {
      if (!openAiSettingsOf(await readModelSettings(db, env))) {
        throw new ApiError(
          409,
          'CONFLICT',
          'generating a tool takes a configured model: set one in the model settings (or LLM_BASE_URL, or start with EVOSCOPE_LOCAL_MODEL=1)',
        );
      }
      const generationId = `gen-${randomUUID()}`;
      const input: GenerateToolInput = { generationId, request, examples, promptedBy };
      const workflowId = generationWorkflowId(generationId);
      await withinRunTrace(workflowId, () =>
        temporal.workflow.start('generateTool', { taskQueue: env.EVOSCOPE_TASK_QUEUE, workflowId, args: [input] }),
      );
      return { generation_id: generationId, workflow_id: workflowId };
    },

    async generate(body: unknown) {
      const input = parseInput(GenerateInput, body ?? {});
      if (input.request !== undefined) return self.start(input.request, [], { kind: 'person', detail: input.by });
      const prediction = await getPrediction(db, input.prediction_id!);
      if (!prediction) throw notFound(`prediction ${input.prediction_id}`);
      if (prediction.kind !== 'unserved_requests')
        throw new ApiError(409, 'CONFLICT', `prediction ${prediction.id} is not about requests no tool serves`);
      return self.start(`serves requests like these. ${prediction.description}`, [], {
        kind: 'prediction',
        detail: prediction.id,
      });
    },

    /** A page of the generated tools, newest first. */
    async list(limit?: unknown, after?: unknown): Promise<GeneratedToolView[]> {
      const page = parseListPage(MAX_LIST_PAGE, limit, after);
      const found = await listGeneratedTools(db, page);
      if (found === null) throw unknownCursor('generation', page);
      return Promise.all(found.map((g) => view(g.draft, g.acceptance, g.decision)));
    },

    /** Its records; before the draft is recorded, what was asked (from its workflow), drafting. */
    async get(id: unknown): Promise<GeneratedToolView> {
      const generationId = parseInput(Identifier, id);
      const draft = await getGeneratedDraft(db, generationId);
      if (draft) return view(draft, await getSuiteAcceptance(db, draft._id), await getGeneratedDecision(db, draft._id));
      return drafting(generationId);
    },

    /** The person accepts the proposed suite, or sends an edited one (checked like any suite file before it is sent). */
    async acceptSuite(id: unknown, body: unknown) {
      const draft = await requireDraft(id);
      const input = parseInput(AcceptInput, body ?? {});
      if (!draft.name || !draft.proposed_suite)
        throw new ApiError(409, 'CONFLICT', `generated tool ${draft._id} has no draft: ${draft.refusal}`);
      const cases: AcceptedCase[] = (input.cases ?? draft.proposed_suite).map((c) => ({
        id: c.id,
        input: c.input,
        expect: c.expect,
        holdout: c.holdout,
      }));
      parseInput(SuiteFile, { component: draft.name, cases });
      if (repeatedCaseId(cases) !== null) throw new ApiError(400, 'BAD_USER_INPUT', 'cases: a case id is used twice');
      return update(draft, (handle) => handle.executeUpdate(acceptGeneratedSuiteUpdate, { args: [{ by: input.by, cases }] }));
    },

    async answer(id: unknown, body: unknown, approve: boolean) {
      const draft = await requireDraft(id);
      const input = parseInput(AnswerInput, body ?? {});
      return update(draft, (handle) =>
        handle.executeUpdate(approve ? approveGeneratedToolUpdate : rejectGeneratedToolUpdate, {
          args: [{ by: input.by, reason: input.reason ?? null }],
        }),
      );
    },
  };
  return self;
}
export type GenerationService = ReturnType<typeof createGenerationService>;
