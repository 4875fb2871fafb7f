import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AnalysedRequest } from '../../domain/agent';
import { PlanStep } from '../../domain/plan';
import { FeedbackInput, FeedbackRecord, FeedbackResult, TaughtCase } from '../../domain/teaching';
import { nodeIdFor } from '../../domain/workflowContracts';
import { lessonsOf, type MarkedTurn, taughtCaseId, taughtSplitOf } from '../../evolution/taughtLessons';
import { emitMetaEvent } from '../../store/emit';
import { currentPlannableManifests, listComponentDocs } from '../../store/evolutionStore';
import { plannableToolOf } from '../../domain/manifest';
import { getNode } from '../../store/graphStore';
import { getMessage } from '../../store/messageStore';
import { sessionExists } from '../../store/sessionStore';
import { listTaughtCases, recordFeedback } from '../../store/teachingStore';
import type { ApiDeps } from '../deps';
import { Identifier } from '../../domain/identifier';
import { MAX_LIST_PAGE } from '../../domain/listPage';
import { ApiError, notFound, parseInput } from '../errors';
import { pageOrRefuse, parseListPage } from '../listPages';

/** Plan steps a component serves the request with (the analyser names these as its `tools`). */
const SERVING_KINDS = new Set(['tool', 'memory', 'rag']);
/** What the plan node records as its input (activities/turnActivities.ts `planSteps`). */
const PlanNodeInput = z.object({ content: z.string(), requests: z.array(AnalysedRequest) });

/** Marking answers right or wrong, and the taught suites wrong marks make; shared by REST and GraphQL. */
export function createTeachingService(deps: ApiDeps) {
  const { db } = deps;

  /** The manifests the planner plans with (tools and memory), as the worker hands them to it. */
  const plannableTools = async () => (await currentPlannableManifests(db)).map(plannableToolOf);

  /** What the marked turn did, from its plan node. */
  async function turnOf(sessionId: string, turnId: string): Promise<MarkedTurn> {
    const plan = await getNode(db, sessionId, nodeIdFor(turnId, 'plan'));
    const input = PlanNodeInput.safeParse(plan?.input);
    const steps = PlanStep.array().safeParse(plan?.output);
    if (!input.success || !steps.success)
      throw new ApiError(409, 'CONFLICT', 'the turn of this answer has no plan to learn from');
    const { content, requests } = input.data;
    return {
      request: content,
      analysed: requests.map((r) => r.tool),
      plannerInput: { op: 'plan', requests, tools: await plannableTools(), next_step: 1 },
      served: steps.data.filter((s) => SERVING_KINDS.has(s.kind)).map((s) => ({ component: s.component, args: s.args })),
    };
  }

  return {
    /**
     * Records a right or wrong mark of an assistant answer. A wrong one becomes cases of the
     * taught suites of the components that decided wrongly; bad input changes nothing.
     */
    async markAnswer(sessionIdInput: unknown, messageIdInput: unknown, input: unknown): Promise<FeedbackResult> {
      const sessionId = parseInput(Identifier, sessionIdInput);
      const messageId = parseInput(Identifier, messageIdInput);
      const mark = parseInput(FeedbackInput, input ?? {});
      if (!(await sessionExists(db, sessionId))) throw notFound(`session ${sessionId}`);
      const message = await getMessage(db, messageId);
      if (message?.session_id !== sessionId) throw notFound(`message ${messageId}`);
      if (message.role !== 'assistant') throw new ApiError(400, 'BAD_USER_INPUT', 'only an assistant answer can be marked');
      const id = `fb-${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      const created_at = new Date().toISOString();
      const provenance = {
        session_id: sessionId,
        message_id: messageId,
        turn_id: message.turn_id,
        taught_by: mark.taught_by,
        created_at,
      };
      let cases: TaughtCase[] = [];
      if (mark.verdict === 'wrong') {
        if (mark.expected_tool !== null && !(await listComponentDocs(db)).some((c) => c._id === mark.expected_tool))
          throw new ApiError(400, 'BAD_USER_INPUT', `expected_tool: no component is named ${mark.expected_tool}`);
        const turn = await turnOf(sessionId, message.turn_id);
        const lessons = lessonsOf(turn, mark);
        if (typeof lessons === 'string') throw new ApiError(400, 'BAD_USER_INPUT', lessons);
        cases = lessons.map((lesson) => {
          const caseId = taughtCaseId(id, lesson.component);
          return { id: caseId, split: taughtSplitOf(caseId), request: turn.request, feedback_id: id, ...lesson, ...provenance };
        });
      }
      const feedback: FeedbackRecord = {
        id,
        ...provenance,
        verdict: mark.verdict,
        expected_tool: mark.verdict === 'wrong' ? mark.expected_tool : null,
        key_content: mark.verdict === 'wrong' ? (mark.key_content ?? null) : null,
        should_decline: mark.verdict === 'wrong' && mark.should_decline,
        case_ids: cases.map((c) => c.id),
      };
      await recordFeedback(db, feedback, cases);
      await emitMetaEvent(db, `feedback:${id}`, {
        type: 'answer_marked',
        feedback_id: id,
        session_id: sessionId,
        message_id: messageId,
        verdict: mark.verdict,
        cases: cases.map((c) => ({ id: c.id, component: c.component, split: c.split })),
      });
      return { feedback, cases };
    },

    /** The taught suites: every component's current taught cases, oldest first. */
    /** A page of the taught cases, oldest first. */
    taughtCases: async (limit?: unknown, after?: unknown) => {
      const page = parseListPage(MAX_LIST_PAGE, limit, after);
      return pageOrRefuse(await listTaughtCases(db), (c) => c.id, page, 'taught case');
    },
  };
}

export type TeachingService = ReturnType<typeof createTeachingService>;
