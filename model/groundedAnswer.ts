import type { StepOutcome } from '../domain/plan';
import type { ModelClient } from './modelClient';
import { numbersIn, numbersInValue, unknownNumbers } from '../domain/statedNumbers';

/**
 * A model's answer to a turn whose tools ran, held to what the tools produced. The model
 * phrases; it never computes. Its reply stands only when every number in it was in the user's
 * message or in a tool's output; otherwise the answer is the responder's grounded template
 * (the tools' results as the tools stated them). A reply that states no number wrongly but
 * leaves out a tool's result is followed by the template, so the result is always stated.
 */
export interface Grounding {
  /** The user's message: numbers the user gave may be repeated. */
  request: string;
  outcomes: StepOutcome[];
  /** The responder's offline answer: every tool result, verbatim. */
  template: string;
}

export interface GroundedAnswer {
  text: string;
  /** Numbers the model stated that neither the request nor any tool did (its reply was replaced). */
  unsupported: number[];
}

/** The results a tool produced that the answer must state: each successful output's `result`. */
const resultsOf = (outcomes: StepOutcome[]) =>
  outcomes.flatMap((o) => {
    const result = o.ok && o.output && typeof o.output === 'object' ? (o.output as { result?: unknown }).result : undefined;
    return typeof result === 'number' ? [result] : [];
  });

export function groundAnswer(reply: string, grounding: Grounding): GroundedAnswer {
  const known = [...numbersIn(grounding.request), ...grounding.outcomes.flatMap((o) => numbersInValue(o.output))];
  const unsupported = unknownNumbers(numbersIn(reply), known);
  if (unsupported.length > 0 || reply.trim() === '') return { text: grounding.template, unsupported };
  const stated = numbersIn(reply);
  const missing = resultsOf(grounding.outcomes).some((result) => !stated.includes(result));
  return { text: missing ? `${reply.trim()}\n\n${grounding.template}` : reply, unsupported };
}

/**
 * The model, answering through `groundAnswer`: its reply is collected whole, checked, and only
 * then passed on (in one delta), so no unsupported number is ever shown, not even while streaming.
 */
function groundedModel<M extends ModelClient>(model: M, grounding: Omit<Grounding, 'template'>): M {
  return {
    ...model,
    async streamAnswer(prompt, onDelta, signal, onUsage) {
      let reply = '';
      await model.streamAnswer(prompt, (delta) => (reply += delta), signal, onUsage);
      const { text } = groundAnswer(reply, { ...grounding, template: prompt.offline_text });
      onDelta(text);
      return text;
    },
  };
}

/**
 * Who speaks a turn's answer: an endpoint model through `groundedModel` when a tool step ran (or
 * failed: the model must not fill the gap), otherwise the model as it is.
 */
export const speakerFor = <M extends ModelClient>(model: M, grounding: Omit<Grounding, 'template'>): M =>
  model.kind === 'endpoint' && grounding.outcomes.length > 0 ? groundedModel(model, grounding) : model;
