import type { LoopDecision } from '../domain/agent';
import type { PlanStep } from '../domain/plan';
import type { DecideInput, DecisionMade, ReplanInput, Replanned, StepRun, TurnContext } from '../domain/turnContracts';
import { nodeIdFor } from '../domain/workflowContracts';
import { agentComponents } from './agentComponents';
import type { ActivityDeps } from './deps';
import { errorMessage, runAsNode } from './nodeLifecycle';
import { planWithModel } from './planWithModel';
import { modelForRoute, routeOf } from './resolveModelClient';
import { componentFor, executeStep, toolAccepts } from './steps/executeStep';
import { usageTally } from '../model/usageTally';

/** A failure the loop can re-plan around: the component refused or broke; anything else is Temporal's to retry. */
const isStepFailure = (err: unknown) => (err as { type?: unknown }).type === 'ComponentFailed';

/** A decision's action, held to the bounds the workflow reported: past a bound the turn stops. */
export function withinBounds(decision: LoopDecision, input: DecideInput): LoopDecision {
  const stops = decision.action === 'answer' || decision.action === 'give_up';
  if (!input.exhausted || stops) return decision;
  const anyOk = input.observations.length === 0 || input.observations.some((o) => o.ok);
  return {
    action: anyOk ? 'answer' : 'give_up',
    reason: `the ${input.exhausted === 'time' ? 'time budget' : 'step limit'} is reached (the planner said ${decision.action})`,
  };
}

/**
 * The agent loop's steps: run a planned step (a failing component is an observation, not
 * the end of the turn), decide what follows (the planner component's rule, as a `decision`
 * node), and re-plan (a `plan` node linked to its decision by a `replan` edge).
 */
export function createAgentLoopActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  const agent = agentComponents(deps);

  return {
    async runPlanStep(ctx: TurnContext, parentId: string, step: PlanStep): Promise<StepRun> {
      const nodeId = nodeIdFor(ctx.turnId, step.id);
      const component = componentFor(deps, step.component);
      const outcome = { stepId: step.id, kind: step.kind, component: step.component };
      try {
        const { output } = await runAsNode(
          deps,
          ctx,
          {
            id: nodeId,
            type: step.kind,
            label: step.component,
            parentId,
            input: step,
            component: { name: component.name, version: component.version },
          },
          () => executeStep(deps, ctx.sessionId, step),
        );
        return { nodeId, outcome: { ...outcome, ok: true, output, error: null } };
      } catch (err) {
        if (!isStepFailure(err)) throw err;
        return { nodeId, outcome: { ...outcome, ok: false, output: null, error: errorMessage(err) } };
      }
    },

    /** After a step or a re-plan: continue, re-plan, answer or give up; the `index`-th decision of the turn. */
    async decideNext(ctx: TurnContext, parentId: string, input: DecideInput, index: number): Promise<DecisionMade> {
      const nodeId = nodeIdFor(ctx.turnId, `decision-${index}`);
      const { output } = await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'decision',
          label: 'Decide',
          labelOf: (d) => `Decide: ${d.action.replace('_', ' ')}`,
          parentId,
          component: agent.versionOf('planner'),
          input: {
            steps: input.observations.map((o) => ({
              step: o.stepId,
              component: o.component,
              ok: o.ok,
              error: o.error,
              replanned: o.replanned,
            })),
            pending: input.pending,
            replans: input.replans,
            exhausted: input.exhausted,
          },
        },
        async () => withinBounds(await agent.decide(input), input),
      );
      return { nodeId, ...output };
    },

    /**
     * The `index`-th re-plan, after the last observation failed: the planner's repair rules
     * offline, or the routed model's native tool calls with the failure in front of it.
     * Steps that repeat one that already succeeded are dropped.
     */
    async replanSteps(ctx: TurnContext, parentId: string, input: ReplanInput, index: number): Promise<Replanned> {
      const nodeId = nodeIdFor(ctx.turnId, `replan-${index}`);
      const failed = input.observations.at(-1);
      const tokens = usageTally();
      const { output } = await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'plan',
          label: 'Re-plan',
          labelOf: (p) => `Re-plan: ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}`,
          parentId,
          edgeKind: 'replan',
          component: agent.versionOf('planner'),
          usageOf: tokens.total,
          input: {
            content: input.content,
            intent: input.intent,
            failed: failed ? { step: failed.step, error: failed.error } : null,
          },
        },
        async () => {
          if (!failed || failed.ok) return { steps: [], reason: 'the last step did not fail: nothing to re-plan' };
          const model = await modelForRoute(db, env, routeOf(input.routing, input.intent), {
            settingsRev: input.settingsRev,
            onUsage: tokens.add,
          });
          if (model.kind === 'offline') return agent.replan(failed, input.nextStep);
          const done = new Set(
            input.observations.filter((o) => o.ok).map((o) => `${o.component} ${JSON.stringify(o.step.args)}`),
          );
          const steps = (await planWithModel(agent, model, { ...input, nextStep: input.nextStep }, toolAccepts(deps)))
            .filter((s) => !done.has(`${s.component} ${JSON.stringify(s.args)}`))
            .map((s, i) => ({ ...s, id: `step-${input.nextStep + i}` }));
          return {
            steps,
            reason: steps.length
              ? `the model called ${steps.map((s) => s.component).join(', ')} again`
              : 'the model called no tool again',
          };
        },
      );
      return { nodeId, steps: output.steps, reason: output.reason ?? '' };
    },
  };
}
