import type { PlanStep, StepKind } from '../domain/plan';

/**
 * Requests no tool served, read from the recent turns' plans: the evidence behind the
 * "unserved requests" prediction (predictionFindings.ts). Pure, so it is tabled in tests.
 */

/** What is read of one recent turn (the store's TurnPlan): the request, its plan's steps, the step it failed at. */
export interface PlannedTurn {
  content: string;
  steps: Pick<PlanStep, 'id' | 'kind'>[];
  failed_step: string | null;
}

/** Steps that serve a request with a component; an agent or decision step alone only talks. */
const SERVING_STEPS: ReadonlySet<StepKind> = new Set(['tool', 'memory', 'rag']);
const MAX_EXAMPLES = 5;
const EXAMPLE_CHARS = 80;

/** How many of the recent turns no tool served, with a few of their requests as examples. */
export interface UnservedRequests {
  unserved: number;
  turns: number;
  /** Most recent first, each request once, trimmed. */
  examples: string[];
}

/** No tool served the turn: its plan chose no tool, memory or docs step, or the turn failed at one. */
function isUnserved(turn: PlannedTurn): boolean {
  const serving = turn.steps.filter((s) => SERVING_STEPS.has(s.kind));
  return serving.length === 0 || serving.some((s) => s.id === turn.failed_step);
}

/** One line, without trailing punctuation, at most EXAMPLE_CHARS long. */
function exampleOf(content: string): string {
  const line = content
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s?!.]+$/, '');
  return line.length <= EXAMPLE_CHARS ? line : `${line.slice(0, EXAMPLE_CHARS - 1).trimEnd()}…`;
}

/** `turns` newest first, as `recentTurnPlans` returns them. */
export function summariseUnserved(turns: PlannedTurn[]): UnservedRequests {
  const unserved = turns.filter(isUnserved);
  const examples = new Map<string, string>();
  for (const turn of unserved) {
    if (examples.size === MAX_EXAMPLES) break;
    const example = exampleOf(turn.content);
    const key = example.toLowerCase();
    if (example && !examples.has(key)) examples.set(key, example);
  }
  return { unserved: unserved.length, turns: turns.length, examples: [...examples.values()] };
}
