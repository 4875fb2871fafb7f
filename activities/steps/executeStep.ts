import { ApplicationFailure } from '@temporalio/activity';
import type { PlanStep } from '../../domain/plan';
import { rememberFact, sessionFacts } from '../../store/memoryStore';
import type { ActivityDeps } from '../deps';
import { runComponent } from './runComponent';

interface ExtractedFact {
  key: string;
  value: string;
}

export function componentFor(deps: ActivityDeps, name: string) {
  const component = deps.components.get(name);
  if (!component) {
    throw ApplicationFailure.create({ message: `no component named "${name}"`, type: 'UnknownComponent', nonRetryable: true });
  }
  return component;
}

/** Carries out one planned step; storage stays on the host, logic runs in the sandbox. */
export async function executeStep(deps: ActivityDeps, sessionId: string, step: PlanStep): Promise<unknown> {
  const component = componentFor(deps, step.component);
  switch (step.kind) {
    case 'rag':
      return runComponent(component, { ...step.args, documents: deps.corpus }, deps.usage);
    case 'memory': {
      if (step.args.op === 'remember') {
        const fact = (await runComponent(component, { op: 'remember', text: step.args.text }, deps.usage)) as ExtractedFact;
        await rememberFact(deps.db, sessionId, fact.key, fact.value);
        return { remembered: fact };
      }
      const entries = await sessionFacts(deps.db, sessionId);
      return runComponent(component, { op: 'recall', query: step.args.query, entries }, deps.usage);
    }
    default:
      return runComponent(component, step.args, deps.usage);
  }
}

/**
 * Whether a tool accepts a step's arguments: the tool run once in the sandbox, its output
 * dropped. Only for `tool` steps, which are pure functions of their input; the run is not
 * counted in the component's usage.
 */
export const toolAccepts =
  (deps: ActivityDeps) =>
  async (step: PlanStep): Promise<boolean> => {
    try {
      await runComponent(componentFor(deps, step.component), step.args);
      return true;
    } catch {
      return false;
    }
  };
