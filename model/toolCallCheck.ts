import Ajv, { type ValidateFunction } from 'ajv';
import type { PlannerFunction } from '../domain/agent';
import type { FunctionCall } from './modelClient';
import { numbersIn, numbersInValue, unknownNumbers } from '../domain/statedNumbers';

/**
 * Whether a model's call of a function may run. A call is refused when its arguments are not a
 * JSON object or do not fit the function's parameter schema; and, where the call replaces the
 * rules' step (`request` given), when they state a number or use a word the request does not
 * (a value or unit the model made up, or a number it computed itself: the tool computes). Schemas come from tool manifests, so each compiled validator is kept by
 * its schema's text.
 */
const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

const wordsIn = (text: string) => text.toLowerCase().match(/[a-z°]+/g) ?? [];

/** One word, or its plural ("mile" and "miles", "inch" and "inches"); not a prefix ("m" is not "miles"). */
const sameWord = (a: string, b: string) => [a, `${a}s`, `${a}es`].includes(b) || [b, `${b}s`, `${b}es`].includes(a);

/** Words of the arguments' strings the request does not say ("mile" is said by "miles", and the other way round). */
function unsaidWords(args: unknown, request: string): string[] {
  const said = wordsIn(request);
  const strings = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
  return strings(args)
    .flatMap(wordsIn)
    .filter((word) => !said.some((s) => sameWord(s, word)));
}

export type CheckedCall = { ok: true; args: Record<string, unknown> } | { ok: false; problem: string };

export function checkCall(call: FunctionCall, fn: PlannerFunction, request: string | null): CheckedCall {
  if (call.name !== fn.name) return { ok: false, problem: `the model called ${call.name}, not ${fn.name}` };
  let args: unknown;
  try {
    args = JSON.parse(call.arguments || '{}');
  } catch {
    return { ok: false, problem: 'the arguments are not JSON' };
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) return { ok: false, problem: 'the arguments are not an object' };
  const validate = validatorFor(fn.parameters);
  if (!validate(args)) return { ok: false, problem: `the arguments do not fit the schema: ${ajv.errorsText(validate.errors)}` };
  if (request === null) return { ok: true, args: args as Record<string, unknown> };
  const invented = unknownNumbers(numbersInValue(args), numbersIn(request));
  if (invented.length > 0)
    return { ok: false, problem: `the arguments state ${invented.join(', ')}, which the request does not` };
  const unsaid = unsaidWords(args, request);
  if (unsaid.length > 0) return { ok: false, problem: `the arguments use ${unsaid.join(', ')}, which the request does not` };
  return { ok: true, args: args as Record<string, unknown> };
}
