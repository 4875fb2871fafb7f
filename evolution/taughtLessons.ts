/**
 * What a wrong mark teaches (domain/teaching.ts), decided from the marked turn: which
 * component owns the lesson, the case it becomes, and its split. Pure, so the service that
 * gathers the turn and the tests agree.
 */
import type { Expectation } from '../domain/suite';
import type { TaughtSplit } from '../domain/teaching';
import { seedFrom } from './seededRandom';
import { literalPattern } from './literalPattern';

/** About this share of taught cases is held out: promotions are judged on lessons the candidate did not see. */
export const HELD_OUT_SHARE = 0.3;

/** A step of the marked turn's plan that a component served (a tool, memory or docs step). */
export interface ServedStep {
  component: string;
  args: Record<string, unknown>;
}

/** What the marked turn did, as its plan node recorded it. */
export interface MarkedTurn {
  /** The user message of the turn. */
  request: string;
  /** The analysis's tool per request (what the planner was given). */
  analysed: readonly (string | null)[];
  /** The planner's input for this turn: its analysed requests and the tools it could plan with. */
  plannerInput: unknown;
  served: readonly ServedStep[];
}

/** What a wrong mark teaches one component, before it is given an id and provenance. */
export interface Lesson {
  component: string;
  lesson: string;
  input: unknown;
  expect: Expectation;
}

/** The analyser names the tools a request needs in `tools`; a wrong choice is its lesson. */
export const ANALYSER = 'intent_analyser';
/** The planner turns the analysed requests into steps; leaving out a tool the analysis named is its lesson. */
export const PLANNER = 'planner';

/**
 * The lessons of a wrong mark, or a reason why it teaches nothing. A wrong tool choice (or a
 * tool used for a request that should be declined) is the analyser's lesson, unless the analysis
 * named the expected tool and the plan left it out: then it is the planner's. The right tool
 * with a wrong answer is the tool's lesson, on the arguments it was given.
 */
export function lessonsOf(
  turn: MarkedTurn,
  expected: { expected_tool: string | null; key_content?: string; should_decline: boolean },
): Lesson[] | string {
  const used = turn.served.map((s) => s.component);
  const want = expected.expected_tool;
  const choiceWrong = want === null ? used.length > 0 : !used.includes(want);
  if (choiceWrong) {
    const chose = used.length ? used.join(', ') : 'no tool';
    if (want !== null && turn.analysed.includes(want)) {
      return [
        {
          component: PLANNER,
          lesson: `planned ${chose} although the analysis named ${want}`,
          input: turn.plannerInput,
          expect: { path: 'steps', matches: literalPattern(`"component":${JSON.stringify(want)}`) },
        },
      ];
    }
    return [
      {
        component: ANALYSER,
        lesson: `chose ${chose}; expected ${want ?? (expected.should_decline ? 'no tool (decline)' : 'no tool')}`,
        input: { content: turn.request },
        expect: { subset: { tools: want === null ? [] : [want] } },
      },
    ];
  }
  const step = want === null ? undefined : turn.served.find((s) => s.component === want);
  if (step && expected.key_content !== undefined) {
    return [
      {
        component: step.component,
        lesson: `the answer should contain "${expected.key_content}"`,
        input: step.args,
        expect: { path: '', matches: literalPattern(expected.key_content) },
      },
    ];
  }
  return want === null
    ? 'nothing to teach: the turn used no tool, as expected; the taught suites hold tool choices and tool answers'
    : `nothing to teach: ${want} was the tool used; say what its answer should contain (key_content)`;
}

/** A valid suite case id (domain/suite.ts) per feedback and component. */
export const taughtCaseId = (feedbackId: string, component: string) => `taught-${feedbackId}-${component}`;

/** Deterministic split: the case id's hash decides, so a case never moves between splits. */
export function taughtSplitOf(caseId: string): TaughtSplit {
  return seedFrom(caseId) / 0x1_0000_0000 < HELD_OUT_SHARE ? 'held_out' : 'train';
}
