/**
 * The answer: the responder component writes the prompt, the routed model streams it into the
 * assistant message. The one step that is always an activity of its own: it heartbeats, and the
 * person's stop cancels it.
 */
import { CancelledFailure } from '@temporalio/activity';
import type { ResponseRequest, ResponseResult } from '../../domain/turnContracts';
import { nodeIdFor } from '../../domain/workflowContracts';
import { speakerFor } from '../../model/groundedAnswer';
import { emitSessionEvents } from '../../store/emit';
import { recentHistory } from '../../store/messageStore';
import { agentComponents } from '../agentComponents';
import type { ActivityDeps } from '../deps';
import { heartbeatingWhile, HEARTBEAT_EVERY_MS } from '../heartbeats';
import { runAsNode } from '../nodeLifecycle';
import { modelForRoute, routeOf } from '../resolveModelClient';
import { streamIntoMessage } from '../streamIntoMessage';
import { assistantMessageId, messageCreated, storeAssistantMessage } from './assistantMessage';
import type { createLearningActivities } from './recordLearning';

/** The most history a responder may ask for (its `history_messages` tunable picks how much it uses). */
const HISTORY_FOR_MODEL = 50;

export function createResponseActivities(deps: ActivityDeps, learning: ReturnType<typeof createLearningActivities>) {
  const { db, env } = deps;
  const agent = agentComponents(deps);

  return {
    /**
     * Streams the answer into the assistant message. Cancellation (the user pressed stop)
     * arrives through heartbeats; the partial answer is kept and marked stopped. It heartbeats
     * from its start to its last write (the prompt, the learning step and the turn's end
     * included): a busy worker's slow writes must not look like a dead worker once the answer
     * has streamed.
     */
    streamResponse: (req: ResponseRequest): Promise<ResponseResult> => heartbeatingWhile(HEARTBEAT_EVERY_MS, () => answer(req)),
  };

  async function answer(req: ResponseRequest): Promise<ResponseResult> {
    const { ctx } = req;
    const nodeId = nodeIdFor(ctx.turnId, 'response');
    const messageId = assistantMessageId(ctx.turnId);
    const model = await modelForRoute(db, env, routeOf(req.routing, req.intent), { settingsRev: req.settingsRev });
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
        usageOf: (answer) => answer.usage,
      },
      async () => {
        const message = await storeAssistantMessage(
          deps,
          ctx,
          { content: '', status: 'streaming', model: model.label, error: null },
          nodeId,
        );
        // What the answer is given and the message it goes into, announced together.
        await emitSessionEvents(db, ctx.sessionId, [
          {
            stream: 'chat',
            key: `${ctx.turnId}:context`,
            data: {
              type: 'context_update',
              turn_id: ctx.turnId,
              context: { intent: req.intent, steps: req.outcomes.map((o) => ({ component: o.component, output: o.output })) },
            },
          },
          messageCreated(message),
        ]);
        const history = (await recentHistory(db, ctx.sessionId, HISTORY_FOR_MODEL)).filter((m) => m.turn_id !== ctx.turnId);
        const prompt = await agent.answerPrompt(req.content, req.intent, history, req.outcomes);
        const speaker = speakerFor(model, { request: req.content, outcomes: req.outcomes });
        return streamIntoMessage(deps, ctx, messageId, speaker, prompt);
      },
    );
    if (output.stopped) throw new CancelledFailure('stopped by the user');
    if (req.learnAfter) await learning.recordLearning(ctx, nodeId, 'completed', req.learnAfter.stepCount, req.learnAfter.turn);
    return { messageId, nodeId, stopped: false, learned: req.learnAfter !== undefined };
  }
}
