import { ApplicationFailure } from '@temporalio/activity';
import type { AnalysedRequest } from '../domain/agent';
import type { Intent, PlanStep, StepOutcome } from '../domain/plan';
import { REPLAYABLE_NODE_TYPES, replayNodeId } from '../domain/workflowContracts';
import type { ExecutionNode } from '../domain/execution';
import { getNode } from '../store/graphStore';
import type { TurnContext } from '../domain/turnContracts';
import type { ActivityDeps } from './deps';
import { agentComponents } from './agentComponents';
import { resolveModelClient } from './resolveModelClient';
import { runAsNode } from './nodeLifecycle';
import { exportReplayTrace } from '../telemetry/turnTraceExport';
import { speakerFor } from '../model/groundedAnswer';
import { planWithModel } from './planWithModel';
import { executeStep, toolAccepts } from './steps/executeStep';

interface RecordedModelInput {
  content: string;
  intent: Intent;
  /** Recorded by plan nodes since the planner became a component. */
  requests?: AnalysedRequest[];
  outcomes?: StepOutcome[];
}

export function createReplayActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  const agent = agentComponents(deps);

  /** Re-runs what the original node ran, with the input it recorded. */
  async function rerun(ctx: TurnContext, original: ExecutionNode): Promise<unknown> {
    const model = await resolveModelClient(db, env);
    const recorded = original.input as RecordedModelInput;
    switch (original.type) {
      case 'agent': {
        const { intent, requests, tools } = await agent.analyse(recorded.content);
        return { intent, requests, tools };
      }
      case 'plan': {
        const requests = recorded.requests ?? (await agent.analyse(recorded.content)).requests;
        return planWithModel(
          agent,
          model,
          { content: recorded.content, intent: recorded.intent, requests, observations: [], nextStep: 1 },
          toolAccepts(deps),
        );
      }
      case 'response': {
        const outcomes = recorded.outcomes ?? [];
        const prompt = await agent.answerPrompt(recorded.content, recorded.intent, [], outcomes);
        const speaker = speakerFor(model, { request: recorded.content, outcomes });
        let text = '';
        await speaker.streamAnswer(
          prompt,
          (delta) => {
            text += delta;
          },
          new AbortController().signal,
        );
        return { text, model: model.label };
      }
      default:
        return executeStep(deps, ctx.sessionId, original.input as PlanStep);
    }
  }

  return {
    /** The replay becomes a new node, linked to the original by a `replay` edge. */
    async replayRecordedNode(ctx: TurnContext, originalNodeId: string): Promise<string> {
      const original = await getNode(db, ctx.sessionId, originalNodeId);
      if (!original || !(REPLAYABLE_NODE_TYPES as readonly string[]).includes(original.type)) {
        throw ApplicationFailure.create({
          message: `node ${originalNodeId} cannot be replayed`,
          type: 'NotReplayable',
          nonRetryable: true,
        });
      }
      const nodeId = replayNodeId(ctx.turnId);
      await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: original.type,
          label: `${original.label} (replay)`,
          parentId: original.id,
          edgeKind: 'replay',
          input: original.input,
          component: original.component ? { name: original.component, version: original.version ?? '' } : null,
        },
        () => rerun(ctx, original),
      ).finally(() => deps.tracing && exportReplayTrace(deps.tracing, db, ctx));
      return nodeId;
    },
  };
}
