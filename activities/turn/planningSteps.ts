/**
 * The steps between the person's message and the agent loop, each its own node: the
 * model_selector component picks the models, the intent_analyser reads the message (a
 * configured model may correct its intent), the planner plans (or the routed model calls the
 * planner's functions natively). The analyser's and the planner's nodes keep the tokens of the
 * model calls they made.
 */
import type { ModelRouting } from '../../domain/agent';
import type { PlannedSteps, SelectedModel, TurnAnalysis, TurnContext } from '../../domain/turnContracts';
import { nodeIdFor } from '../../domain/workflowContracts';
import { usageTally } from '../../model/usageTally';
import { setTurnModel } from '../../store/turnStore';
import { agentComponents } from '../agentComponents';
import type { ActivityDeps } from '../deps';
import { runAsNode } from '../nodeLifecycle';
import { planWithModel } from '../planWithModel';
import { availableModels, modelForRoute, modelIdOf, pickForRoute, routeOf } from '../resolveModelClient';
import { toolAccepts } from '../steps/executeStep';

export function createPlanningStepActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  const agent = agentComponents(deps);

  return {
    /** The model_selector component routes each intent to the configured or the offline model. */
    async selectModel(ctx: TurnContext, parentId: string): Promise<SelectedModel> {
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
          const { models, settingsRev } = await availableModels(db, env);
          const routing = await agent.route(models.map((m) => ({ id: modelIdOf(m.label), offline: m.label.offline })));
          const model = pickForRoute(models, [routing.default]).label;
          await setTurnModel(db, ctx.turnId, model);
          return { model, routing, settingsRev };
        },
      );
      return { nodeId, ...output };
    },

    /** The intent_analyser component reads the message; a configured model may correct its intent. */
    async analyseIntent(
      ctx: TurnContext,
      parentId: string,
      content: string,
      routing: ModelRouting,
      settingsRev?: number,
    ): Promise<TurnAnalysis> {
      const nodeId = nodeIdFor(ctx.turnId, 'analyse');
      const tokens = usageTally();
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
          usageOf: tokens.total,
        },
        async () => {
          const reading = await agent.analyse(content);
          const model = await modelForRoute(db, env, [routing.default], { settingsRev, onUsage: tokens.add });
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
      settingsRev?: number,
    ): Promise<PlannedSteps> {
      const nodeId = nodeIdFor(ctx.turnId, 'plan');
      const { intent, requests } = analysis;
      const tokens = usageTally();
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
          usageOf: tokens.total,
        },
        async () =>
          planWithModel(
            agent,
            await modelForRoute(db, env, routeOf(routing, intent), { settingsRev, onUsage: tokens.add }),
            { content, intent, requests, observations: [], nextStep: 1 },
            toolAccepts(deps),
          ),
      );
      return { nodeId, steps: output };
    },
  };
}
