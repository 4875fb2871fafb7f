/**
 * Small models rarely emit a chat template's tool-call tags; they print the call as JSON:
 * bare, in a ```json block, or inside <tool_call> tags, sometimes as a list. This reads a
 * reply as tool calls when it is nothing but such calls to functions that were offered.
 */

export interface TextToolCall {
  name: string;
  /** The arguments as a JSON object text, as OpenAI's wire format carries them. */
  arguments: string;
}

const TAGGED = /<tool_call>\s*([\s\S]*?)\s*(?:<\/tool_call>|$)/g;
const FENCED = /^```(?:json|JSON)?\s*\n?([\s\S]*?)\n?\s*```$/;

/** The JSON texts a reply may consist of: tagged calls, one fenced block, or the whole reply. */
function candidateTexts(reply: string): string[] {
  const text = reply.trim();
  const tagged = [...text.matchAll(TAGGED)].map((m) => m[1]);
  if (tagged.length > 0 && text.replace(TAGGED, '').trim() === '') return tagged;
  const fenced = FENCED.exec(text);
  return [fenced ? fenced[1] : text];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{name, arguments}`, `{name, parameters}` or OpenAI's own `{function: {name, arguments}}`. */
function callOf(value: unknown, offered: ReadonlySet<string>): TextToolCall | null {
  if (!isRecord(value)) return null;
  const inner = isRecord(value.function) ? value.function : value;
  const name = inner.name;
  if (typeof name !== 'string' || !offered.has(name)) return null;
  const given: unknown = inner.arguments ?? inner.parameters ?? {};
  const args = typeof given === 'string' ? parseJson(given) : given;
  return isRecord(args) ? { name, arguments: JSON.stringify(args) } : null;
}

/** The tool calls the reply consists of, or null when it is (also) something else: then it is a text answer. */
export function toolCallsInText(reply: string, offered: ReadonlySet<string>): TextToolCall[] | null {
  const calls: TextToolCall[] = [];
  for (const text of candidateTexts(reply)) {
    const parsed = parseJson(text);
    for (const value of Array.isArray(parsed) ? parsed : [parsed]) {
      const call = callOf(value, offered);
      if (!call) return null;
      calls.push(call);
    }
  }
  return calls.length > 0 ? calls : null;
}
