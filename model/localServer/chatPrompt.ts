/**
 * Turns an OpenAI chat request into what a plain chat model reads: a list of system, user
 * and assistant turns (tools described in the system turn; earlier tool calls and their
 * results written out as text), which tool names count as calls, and, when the request
 * forces a call, the JSON shape the runtime must constrain the reply to.
 */
import { schemaSubset, type SchemaSubset } from './jsonSchemaSubset';
import { textOf, type ChatCompletionRequest, type WireMessage, type WireTool } from './openAiWire';

export interface PromptTurn {
  role: 'system' | 'user' | 'assistant';
  text: string;
}

export interface ChatPrompt {
  turns: PromptTurn[];
  /** Tool names a reply may call; empty when the request offers none (or tool_choice is none). */
  offered: ReadonlySet<string>;
  /** Set when the request requires a call: the reply is generated as one `{name, arguments}` object of this shape. */
  forcedCall: SchemaSubset | null;
}

/** A request that is well-formed JSON but asks for something impossible (OpenAI answers these with 400). */
export class InvalidRequest extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

const callText = (name: string, args: string) => `{"name": ${JSON.stringify(name)}, "arguments": ${args || '{}'}}`;

function toolInstructions(tools: WireTool[]): string {
  const lines = tools.map((t) =>
    JSON.stringify({ name: t.function.name, description: t.function.description ?? '', parameters: t.function.parameters ?? {} }),
  );
  return [
    'You can call these tools:',
    '<tools>',
    ...lines,
    '</tools>',
    'To call a tool, reply with only a JSON object: {"name": <tool name>, "arguments": <arguments object>}. Otherwise answer in plain text.',
  ].join('\n');
}

function turnOf(message: WireMessage, callNames: Map<string, string>): PromptTurn {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', text: textOf(message.content) };
    case 'user':
      return { role: 'user', text: textOf(message.content) };
    case 'assistant': {
      const calls = (message.tool_calls ?? []).map((call) => {
        callNames.set(call.id, call.function.name);
        return callText(call.function.name, call.function.arguments);
      });
      return { role: 'assistant', text: [textOf(message.content), ...calls].filter(Boolean).join('\n') };
    }
    case 'tool':
      return {
        role: 'user',
        text: `Result of ${callNames.get(message.tool_call_id) ?? 'the tool call'}: ${textOf(message.content)}`,
      };
  }
}

function forcedTools(request: ChatCompletionRequest, tools: WireTool[]): WireTool[] | null {
  const choice = request.tool_choice;
  if (choice === 'required') {
    if (tools.length === 0) throw new InvalidRequest('tool_choice "required" needs at least one tool', 'tool_choice');
    return tools;
  }
  if (typeof choice === 'object') {
    const named = tools.filter((t) => t.function.name === choice.function.name);
    if (named.length === 0)
      throw new InvalidRequest(`tool_choice names ${choice.function.name}, which is not among the tools`, 'tool_choice');
    return named;
  }
  return null;
}

/** The `{name, arguments}` object a forced call must be: one alternative per allowed tool. */
function callSchema(tools: WireTool[]): SchemaSubset {
  const alternatives = tools.map((t) => ({
    type: 'object',
    properties: { name: { const: t.function.name }, arguments: schemaSubset(t.function.parameters ?? { type: 'object' }) },
    required: ['name', 'arguments'],
  }));
  return alternatives.length === 1 ? alternatives[0] : { oneOf: alternatives };
}

export function chatPromptOf(request: ChatCompletionRequest): ChatPrompt {
  const tools = request.tool_choice === 'none' ? [] : (request.tools ?? []);
  const forced = forcedTools(request, tools);
  const callNames = new Map<string, string>();
  const turns = request.messages.map((m) => turnOf(m, callNames));
  if (tools.length > 0) {
    const instructions = toolInstructions(forced ?? tools);
    const first = turns[0];
    if (first?.role === 'system') turns[0] = { role: 'system', text: `${first.text}\n\n${instructions}` };
    else turns.unshift({ role: 'system', text: instructions });
  }
  return {
    turns,
    offered: new Set((forced ?? tools).map((t) => t.function.name)),
    forcedCall: forced ? callSchema(forced) : null,
  };
}
