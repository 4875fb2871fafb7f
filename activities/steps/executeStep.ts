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
