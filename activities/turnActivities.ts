import { CancelledFailure } from '@temporalio/activity';
import type { MessageRecord, ModelLabel } from '../domain/chat';
import type { TurnStatus } from '../domain/events';
import type { AnalysedRequest, ModelRouting } from '../domain/agent';
import type { Intent, PlanStep, StepOutcome } from '../domain/plan';
import { nodeIdFor, userInputNodeId } from '../domain/workflowContracts';
import { addMessageToNode } from '../store/graphStore';
import { getMessage, insertMessageOnce, linkMessageToNode, recentHistory, updateMessage } from '../store/messageStore';
import { speakerFor } from '../model/groundedAnswer';
import { observeTurn } from '../metrics/workerMetrics';
import { getTurn, recordTurnFinished, recordTurnStarted, setTurnModel } from '../store/turnStore';
import { emitChatEvent, emitExecutionEvent } from '../store/emit';
import type { ActivityDeps, TurnContext } from './deps';
import { agentComponents } from './agentComponents';
import { availableModels, modelForRoute, modelIdOf, pickForRoute, resolveModelClient } from './resolveModelClient';
import { runAsNode } from './nodeLifecycle';
import { prepareTurn, type PreparedTurn } from './prepareTurn';
import { planWithModel } from './planWithModel';
import { toolAccepts } from './steps/executeStep';
import { streamIntoMessage } from './streamIntoMessage';

export const assistantMessageId = (turnId: string) => `${turnId}:assistant`;
/** The most history a responder may ask for (its `history_messages` tunable picks how much it uses). */
const HISTORY_FOR_MODEL = 50;

export interface UserInput extends TurnContext {
  userMessageId: string;
  content: string;
}

export interface ResponseRequest {
  ctx: TurnContext;
  parentId: string;
  content: string;
  intent: Intent;
  outcomes: StepOutcome[];
  routing: ModelRouting;
  /** Also record the turn's learning step once the answer is complete (saves the workflow a round trip for it). */
  learnAfter?: { stepCount: number };
}

/** The analyser's reading of the message, as the rest of the turn uses it. */
export interface TurnAnalysis {
  nodeId: string;
  intent: Intent;
  requests: AnalysedRequest[];
}

/** The models of the intent's route, preferred first. */
const routeOf = (routing: ModelRouting, intent: Intent) => routing.routes[intent.intent] ?? [routing.default];

export interface ResponseResult {
  messageId: string;
  nodeId: string;
  stopped: boolean;
  /** The learning step was recorded too (`learnAfter`): the turn is finished. */
  learned: boolean;
}

/** Stores an assistant message once and announces it. */
async function postAssistantMessage(
  deps: ActivityDeps,
  ctx: TurnContext,
  message: Omit<MessageRecord, 'session_id' | 'turn_id' | 'role' | 'timestamp'>,
) {
  const full: MessageRecord = {
    ...message,
    session_id: ctx.sessionId,
    turn_id: ctx.turnId,
    role: 'assistant',
    timestamp: new Date().toISOString(),
  };
  await insertMessageOnce(deps.db, full);
  const stored = (await getMessage(deps.db, full.id))!;
  await emitChatEvent(deps.db, ctx.sessionId, `${full.id}:created`, { type: 'message_created', message: stored });
  return stored;
}

async function linkNodeAndMessage(deps: ActivityDeps, nodeId: string, messageId: string) {
  await linkMessageToNode(deps.db, messageId, nodeId);
  await addMessageToNode(deps.db, nodeId, messageId);
}

export function createTurnActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  const agent = agentComponents(deps);

  const self = {
    /** Records the user's message (if the API has not yet) and the turn's first node. */
    async recordUserInput(input: UserInput): Promise<string> {
      const ctx: TurnContext = input;
      await recordTurnStarted(db, {
        _id: ctx.turnId,
        session_id: ctx.sessionId,
        workflow_id: ctx.workflowId,
        kind: 'chat_turn',
        started_at: new Date().toISOString(),
      });
      const message: MessageRecord = {
        id: input.userMessageId,
        session_id: ctx.sessionId,
        role: 'user',
        content: input.content,
        timestamp: new Date().toISOString(),
        status: 'complete',
        node_ids: [],
        turn_id: ctx.turnId,
        model: null,
        error: null,
      };
      await insertMessageOnce(db, message);
      await emitChatEvent(db, ctx.sessionId, `${message.id}:created`, {
        type: 'message_created',
        message: (await getMessage(db, message.id))!,
      });
      const nodeId = userInputNodeId(ctx.turnId);
      await runAsNode(
        deps,
        ctx,
        { id: nodeId, type: 'user_input', label: 'User message', parentId: null, input: { content: input.content } },
        async () => {
          await linkNodeAndMessage(deps, nodeId, message.id);
          return { message_id: message.id, content: input.content };
        },
      );
      return nodeId;
    },

    /** The steps before the agent loop in one activity (the local path); see prepareTurn.ts. */
    prepareTurn: (input: UserInput): Promise<PreparedTurn> => prepareTurn(self, input),

    /** The model_selector component routes each intent to the configured or the offline model. */
    async selectModel(ctx: TurnContext, parentId: string): Promise<{ nodeId: string; model: ModelLabel; routing: ModelRouting }> {
      const nodeId = nodeIdFor(ctx.turnId, 'model_selector');
      const { output } = await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'model_selector',
          label: 'Select model',
          parentId,
          input: {},
          component: agent.versionOf('model_selector'),
        },
        async () => {
          const models = await availableModels(db, env);
          const routing = await agent.route(models.map((m) => ({ id: modelIdOf(m.label), offline: m.label.offline })));
          const model = pickForRoute(models, [routing.default]).label;
          await setTurnModel(db, ctx.turnId, model);
          return { model, routing };
        },
      );
      return { nodeId, ...output };
    },

    /** The intent_analyser component reads the message; a configured model may correct its intent. */
    async analyseIntent(ctx: TurnContext, parentId: string, content: string, routing: ModelRouting): Promise<TurnAnalysis> {
      const nodeId = nodeIdFor(ctx.turnId, 'analyse');
      const { output } = await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'agent',
          label: 'Analyse intent',
          parentId,
          input: { content },
          component: agent.versionOf('intent_analyser'),
        },
        async () => {
          const reading = await agent.analyse(content);
          const model = await modelForRoute(db, env, [routing.default]);
          const analysis =
            model.kind === 'endpoint'
              ? await agent.readClassification(content, await model.complete(reading.classification.messages))
              : reading;
          return { intent: analysis.intent, requests: analysis.requests, tools: analysis.tools };
        },
      );
      return { nodeId, intent: output.intent, requests: output.requests };
    },

    /** The planner component plans (offline), or the routed model calls the planner's functions natively. */
    async planSteps(
      ctx: TurnContext,
      parentId: string,
      content: string,
      analysis: TurnAnalysis,
      routing: ModelRouting,
    ): Promise<{ nodeId: string; steps: PlanStep[] }> {
      const nodeId = nodeIdFor(ctx.turnId, 'plan');
      const { intent, requests } = analysis;
      const { output } = await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'plan',
          label: 'Plan',
          parentId,
          input: { content, intent, requests },
          component: agent.versionOf('planner'),
        },
        async () =>
          planWithModel(
            agent,
            await modelForRoute(db, env, routeOf(routing, intent)),
            { content, intent, requests, observations: [], nextStep: 1 },
            toolAccepts(deps),
          ),
      );
      return { nodeId, steps: output };
    },

    /**
     * Streams the answer into the assistant message. Cancellation (the user pressed stop)
     * arrives through heartbeats; the partial answer is kept and marked stopped.
     */
    async streamResponse(req: ResponseRequest): Promise<ResponseResult> {
      const { ctx } = req;
      const nodeId = nodeIdFor(ctx.turnId, 'response');
      const messageId = assistantMessageId(ctx.turnId);
      const model = await modelForRoute(db, env, routeOf(req.routing, req.intent));
      await emitChatEvent(db, ctx.sessionId, `${ctx.turnId}:context`, {
        type: 'context_update',
        turn_id: ctx.turnId,
        context: { intent: req.intent, steps: req.outcomes.map((o) => ({ component: o.component, output: o.output })) },
      });
      const { output } = await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'response',
          label: 'Respond',
          parentId: req.parentId,
          input: { content: req.content, intent: req.intent, outcomes: req.outcomes },
          component: { name: model.label.provider, version: model.label.model },
        },
        async () => {
          await postAssistantMessage(deps, ctx, {
            id: messageId,
            content: '',
            status: 'streaming',
            node_ids: [],
            model: model.label,
            error: null,
          });
          await linkNodeAndMessage(deps, nodeId, messageId);
          const history = (await recentHistory(db, ctx.sessionId, HISTORY_FOR_MODEL)).filter((m) => m.turn_id !== ctx.turnId);
          const prompt = await agent.answerPrompt(req.content, req.intent, history, req.outcomes);
          const speaker = speakerFor(model, { request: req.content, outcomes: req.outcomes });
          return streamIntoMessage(deps, ctx, messageId, speaker, prompt);
        },
      );
      if (output.stopped) throw new CancelledFailure('stopped by the user');
      if (req.learnAfter) await self.recordLearning(ctx, nodeId, 'completed', req.learnAfter.stepCount);
      return { messageId, nodeId, stopped: false, learned: req.learnAfter !== undefined };
    },

    /**
     * A step failed: an error node under it (and after the decision that gave up, if one did)
     * and an assistant message that says what failed.
     */
    async reportFailure(ctx: TurnContext, failedNodeId: string | null, error: string, after?: string): Promise<string> {
      const nodeId = nodeIdFor(ctx.turnId, 'error');
      const messageId = assistantMessageId(ctx.turnId);
      await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'error',
          label: 'Error',
          parentId: failedNodeId,
          alsoAfter: after ? [after] : [],
          input: { error },
        },
        async () => {
          const existing = await getMessage(db, messageId);
          const content = `Sorry, this turn failed: ${error}`;
          // The answer may have begun streaming before the failure: keep what it said.
          const message = existing
            ? (await updateMessage(db, messageId, { status: 'error', error, content: existing.content || content }))!
            : await postAssistantMessage(deps, ctx, {
                id: messageId,
                content,
                status: 'error',
                node_ids: [],
                model: (await resolveModelClient(db, env)).label,
                error,
              });
          // Its own key: the answer may already have been announced complete before the failure.
          await emitChatEvent(db, ctx.sessionId, `${messageId}:failed`, { type: 'message_completed', message });
          await linkNodeAndMessage(deps, nodeId, messageId);
          return { error };
        },
      );
      return nodeId;
    },

    /** Stop arrived before the answer began: say so in the chat. */
    async reportStoppedEarly(ctx: TurnContext): Promise<void> {
      const messageId = assistantMessageId(ctx.turnId);
      if (await getMessage(db, messageId)) return;
      const model = (await resolveModelClient(db, env)).label;
      const message = await postAssistantMessage(deps, ctx, {
        id: messageId,
        content: '',
        status: 'stopped',
        node_ids: [],
        model,
        error: null,
      });
      await emitChatEvent(db, ctx.sessionId, `${messageId}:completed`, { type: 'message_completed', message });
    },

    /** Records what the turn cost and how it ended; the last node of every turn. */
    async recordLearning(
      ctx: TurnContext,
      parentId: string,
      status: Exclude<TurnStatus, 'running'>,
      stepCount: number,
    ): Promise<void> {
      const nodeId = nodeIdFor(ctx.turnId, 'learning');
      let ended = new Date();
      await runAsNode(deps, ctx, { id: nodeId, type: 'learning', label: 'Learn', parentId, input: { status } }, async () => {
        const turn = await getTurn(db, ctx.turnId);
        ended = new Date();
        return {
          status,
          duration_ms: turn ? ended.getTime() - Date.parse(turn.started_at) : null,
          steps: stepCount,
          model: turn?.model ?? null,
        };
      });
      // Finished last: whoever sees the turn finished finds every node of it finished too.
      const finished = await recordTurnFinished(db, ctx.turnId, status, ended);
      // Counted by the call that finished it: a retry finds the turn finished at an earlier time.
      if (finished?.ended_at === ended.toISOString() && finished.duration_ms != null) observeTurn(status, finished.duration_ms);
      await emitExecutionEvent(db, ctx.sessionId, `${ctx.turnId}:graph_updated`, {
        type: 'graph_updated',
        turn_id: ctx.turnId,
        status,
      });
    },
  };
  return self;
}
