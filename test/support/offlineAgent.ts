import { Analysis, AnswerPrompt, PlanResult } from '../../domain/agent';
import type { AgentReply } from '../../evaluation/natural/naturalSet';
import { componentRunner } from '../unit/componentRunner';

const TOOL_MANIFESTS = [
  { name: 'calculator', type: 'tool', kind: null, description: 'arithmetic', input_schema: { type: 'object' } },
  { name: 'unit_convert', type: 'tool', kind: null, description: 'units', input_schema: { type: 'object' } },
];

/**
 * The offline agent's pipeline on the shipped component files, each run in the sandbox as a
 * turn runs it: analyse → plan → run the tool steps → the responder's offline answer.
 */
export function offlineAgent() {
  const analyse = componentRunner('agent/intent_analyser.js');
  const planner = componentRunner('chain/planner.js');
  const respond = componentRunner('agent/responder.js');
  const tools: Record<string, ReturnType<typeof componentRunner>> = {
    calculator: componentRunner('tools/calculator.js'),
    unit_convert: componentRunner('tools/unit_convert.js'),
  };
  return async (content: string): Promise<AgentReply> => {
    const analysis = Analysis.parse(await analyse({ content }));
    const plan = PlanResult.parse(
      await planner({ op: 'plan', requests: analysis.requests, tools: TOOL_MANIFESTS, next_step: 1 }),
    );
    const outcomes = [];
    for (const step of plan.steps) {
      const output = await tools[step.component](step.args).then(
        (out: unknown) => ({ ok: true, output: out, error: null }),
        (err: Error) => ({ ok: false, output: null, error: err.message }),
      );
      outcomes.push({ component: step.component, ...output });
    }
    const answer = AnswerPrompt.parse(await respond({ content, intent: analysis.intent, outcomes }));
    return { tools: plan.steps.map((s) => s.component), text: answer.offline_text };
  };
}
