import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The natural-phrasing set: requests as a new user types them, each with the tools that
 * should serve it and the text its answer must hold. An agent is scored on it by what it
 * did (the tools its plan ran) and what it said (the final answer text); nothing else. The set is
 * data (datasets/natural/requests.json); this module is the host code that loads and judges it.
 */
export const NaturalCase = z.object({
  id: z.string(),
  content: z.string(),
  /** Tools that serve the request, in order; empty when no tool should run. */
  tools: z.array(z.string()),
  /** Text the answer must contain; a number matches only as a whole number ("9" is not in "81"). */
  answer_contains: z.array(z.string()),
  /** "taught": may be taught through the console later; "never_taught": measures whether lessons generalise. */
  part: z.enum(['taught', 'never_taught']),
});
export type NaturalCase = z.infer<typeof NaturalCase>;

const NaturalSetFile = z.object({ description: z.string(), cases: z.array(NaturalCase).min(1) });

export function loadNaturalSet(file = path.resolve(__dirname, '..', 'datasets', 'natural', 'requests.json')): NaturalCase[] {
  return NaturalSetFile.parse(JSON.parse(readFileSync(file, 'utf8'))).cases;
}

/** What an agent did with one request. */
export interface AgentReply {
  tools: string[];
  text: string;
}

export interface CaseVerdict {
  id: string;
  part: NaturalCase['part'];
  rightTool: boolean;
  /** Right tools and every expected text in the answer. */
  rightAnswer: boolean;
  reply: AgentReply;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` states `expected`; a number must stand alone, not inside a longer number. */
export function states(text: string, expected: string): boolean {
  if (!/^-?\d+(?:\.\d+)?$/.test(expected)) return text.toLowerCase().includes(expected.toLowerCase());
  return new RegExp(`(?<![\\d.])${escape(expected)}(?!\\.?\\d)`).test(text);
}

export function judgeCase(c: NaturalCase, reply: AgentReply): CaseVerdict {
  const rightTool = [...reply.tools].sort().join(',') === [...c.tools].sort().join(',');
  return {
    id: c.id,
    part: c.part,
    rightTool,
    rightAnswer: rightTool && c.answer_contains.every((expected) => states(reply.text, expected)),
    reply,
  };
}

export interface PartScore {
  cases: number;
  rightTool: number;
  rightAnswer: number;
}

export function summarise(verdicts: CaseVerdict[]): Record<'all' | NaturalCase['part'], PartScore> {
  const score = (list: CaseVerdict[]): PartScore => ({
    cases: list.length,
    rightTool: list.filter((v) => v.rightTool).length,
    rightAnswer: list.filter((v) => v.rightAnswer).length,
  });
  return {
    all: score(verdicts),
    taught: score(verdicts.filter((v) => v.part === 'taught')),
    never_taught: score(verdicts.filter((v) => v.part === 'never_taught')),
  };
}

export async function scoreAgent(cases: NaturalCase[], agent: (content: string) => Promise<AgentReply>): Promise<CaseVerdict[]> {
  const verdicts: CaseVerdict[] = [];
  for (const c of cases) verdicts.push(judgeCase(c, await agent(c.content)));
  return verdicts;
}
