import { z } from 'zod';

/**
 * The program each isolate runs (as an isolated-vm closure). It loads the
 * component file, checks it, applies an action to `component` and serialises
 * the answer, all inside try/catch, so that nothing the component throws ever
 * reaches isolated-vm: copying a thrown object out of an isolate reads its
 * `message`/`stack` with no time limit, and a looping getter there hangs the
 * call and spins a native thread that even `dispose()` cannot stop. What leaves
 * the isolate is a string built here, or isolated-vm's own timeout and memory
 * errors. Intrinsics are captured first because the component's code runs
 * next and may replace any global or prototype.
 *
 * The file is evaluated as a function body (`new Function`), not spliced into
 * this program, so its text cannot break out of the try/catch.
 *
 * Arguments: $0 component source; $1 action, the body of a trusted
 * `function (component, args)`; $2 args as JSON; $3 maximum output length in
 * characters. Returns HarnessEnvelope as JSON text.
 */
export const ISOLATE_HARNESS = `
'use strict';
try {
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const MakeFunction = Function;
  const ErrorType = Error;
  const toText = String;
  const sliceText = Function.prototype.call.bind(String.prototype.slice);
  const MAX_ERROR_CHARS = 2000;

  const describe = (thrown) => {
    try {
      let text;
      if (thrown instanceof ErrorType) {
        const name = thrown.name;
        const message = thrown.message;
        text = (typeof name === 'string' && name !== 'Error' ? name + ': ' : '') + (typeof message === 'string' ? message : '');
      } else {
        text = toText(thrown);
      }
      return text.length > MAX_ERROR_CHARS ? sliceText(text, 0, MAX_ERROR_CHARS) + '…' : text;
    } catch {
      return 'The component threw a value that cannot be described';
    }
  };
  const fail = (failure, message) => '{"ok":false,"failure":"' + failure + '","error":' + stringify(message) + '}';

  const action = new MakeFunction('component', 'args', $1);
  const args = parse($2);
  // WebAssembly memory is allocated outside the isolate's heap limit.
  delete globalThis.WebAssembly;

  let component;
  try {
    component = new MakeFunction($0 + '\\n;return typeof component === "undefined" ? undefined : component;')();
  } catch (thrown) {
    return fail('invalid_component', 'The component file failed to load: ' + describe(thrown));
  }

  let valid;
  try {
    valid = typeof component === 'object' && component !== null && typeof component.run === 'function';
  } catch (thrown) {
    return fail('invalid_component', describe(thrown));
  }
  if (!valid) {
    return fail('invalid_component', 'The file must define var component = { ..., run: function (input, params) { ... } }');
  }

  let result;
  try {
    result = action(component, args);
  } catch (thrown) {
    return fail('error', describe(thrown));
  }

  let json;
  try {
    json = stringify(result === undefined ? null : result);
  } catch (thrown) {
    return fail('error', 'The output is not JSON-serialisable: ' + describe(thrown));
  }
  if (typeof json !== 'string') return fail('error', 'The output is not JSON-serialisable');
  if (json.length > $3) {
    return fail('output_too_large', 'The output is ' + json.length + ' characters; the limit is ' + $3 + ' bytes');
  }
  return '{"ok":true,"output":' + json + '}';
} catch {
  return '{"ok":false,"failure":"error","error":"The component failed in a way that cannot be described"}';
}
`;

export const HarnessEnvelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({
    ok: z.literal(false),
    failure: z.enum(['error', 'invalid_component', 'output_too_large']),
    error: z.string(),
  }),
]);
export type HarnessEnvelope = z.infer<typeof HarnessEnvelope>;
